-- dw.category_subtree: a category and every category below it (its children, their children, ...), the one
-- reading of "products of a category" for filters that take a category id (erpdb products and inventory --category).
-- requires: dw.dim_categories (0004_dimensions)
-- SECURITY INVOKER: a reader sees only its merchant's categories (row level security), so a root of another
-- merchant gives an empty array. UNION, not UNION ALL: the recursion ends even over a cycle of parent ids.
-- An array, not a set of rows (a set-returning function readers may call is reported by the isolation check):
-- callers filter with category_id = ANY((SELECT dw.category_subtree(...))::bigint[]), the subquery computing it once.

CREATE OR REPLACE FUNCTION dw.category_subtree(root bigint)
RETURNS bigint[]
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    WITH RECURSIVE tree AS (
        SELECT c.merchant_id, c.category_id
          FROM dw.dim_categories AS c
         WHERE c.category_id = root
        UNION
        SELECT c.merchant_id, c.category_id
          FROM dw.dim_categories AS c
          JOIN tree AS t ON c.merchant_id = t.merchant_id AND c.parent_id = t.category_id
    )
    SELECT coalesce(array_agg(category_id ORDER BY category_id), '{}') FROM tree
$$;

COMMENT ON FUNCTION dw.category_subtree(bigint) IS
    'The category and every category below it (parent_id followed down). Used by the category filters of erpdb products and inventory, so a parent category selects its subcategories'' products.';
REVOKE EXECUTE ON FUNCTION dw.category_subtree(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.category_subtree(bigint) TO erp_reader, erp_writer;

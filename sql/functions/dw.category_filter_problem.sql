-- dw.category_filter_problem: why a category filter (erpdb products and inventory --category) cannot be answered, or
-- NULL when it can: no category given, or a category of the scoped merchant. An id that is not one would filter every
-- row away and answer an empty list in silence; the text names the merchant's top-level categories instead.
-- requires: dw.dim_categories (0004_dimensions), ops.current_merchant_id (0010_merchant_isolation)
-- SECURITY INVOKER: a scoped reader sees its merchant's categories only, so another merchant's category gets the same
-- answer as an id no category has. A scalar, not a set of rows (the isolation check reports set-returning functions
-- readers may call).

CREATE OR REPLACE FUNCTION dw.category_filter_problem(category bigint)
RETURNS text
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    SELECT format('%s is not a category of this merchant. Its top-level categories: %s.', category,
                  coalesce((SELECT string_agg(c.category_id || ' ' || c.category_name, ', ' ORDER BY c.category_id)
                              FROM dw.dim_categories AS c
                             WHERE c.parent_id IS NULL AND c.merchant_id = (SELECT ops.current_merchant_id())), 'none'))
     WHERE category IS NOT NULL
       AND NOT EXISTS (SELECT FROM dw.dim_categories AS c
                        WHERE c.category_id = category AND c.merchant_id = (SELECT ops.current_merchant_id()))
$$;

COMMENT ON FUNCTION dw.category_filter_problem(bigint) IS
    'NULL when a category filter can be answered (no category, or one of the scoped merchant''s); else why not, naming the merchant''s top-level categories. Checked first by erpdb products and inventory.';
REVOKE EXECUTE ON FUNCTION dw.category_filter_problem(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.category_filter_problem(bigint) TO erp_reader, erp_writer;

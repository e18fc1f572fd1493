-- ops.refresh_product_aggregate: the work of ops.refresh_aggregate for an incremental aggregate kept
-- per (merchant, product) (bucket width product, e.g. mart.mv_inventory_summary): recomputes the rows
-- of the products its invalidation log names, or every row (docs/refresh.md, "Incremental aggregates").
-- requires: ops.mv_registry, ops.agg_product_invalidations (0035_incremental_finance_inventory, 0041_product_sales_days),
--           ops.consume_product_invalidations
-- Runs inside ops.refresh_view's transaction, after ops.refresh_aggregate has taken the table's lock
-- and logged what a moved date changed. The compute function takes (merchants bigint[], products
-- bigint[], as_of date): the rows of those products (of those merchants: product ids are unique,
-- the merchants let the lookups use indexes led by merchant_id) as of that day; (NULL, NULL, day)
-- is every row. Today goes in as a value, not CURRENT_DATE inside the
-- function, so the planner prunes the facts' date partitions when it plans (planning over every
-- partition cost more than the work). It consumes the log entries of the transactions the snapshot saw, and its own,
-- except those of order lines dated today or later (sales_day, 0041): no window holds them yet.

CREATE OR REPLACE FUNCTION ops.refresh_product_aggregate(
    view_name text,
    full_rebuild boolean,
    covered pg_catalog.pg_snapshot,
    OUT row_count bigint,
    OUT refresh_mode text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    reg       ops.mv_registry;
    rel       regclass;
    compute   text;
    merchants bigint[];
    products  bigint[];
    deleted   bigint;
    inserted  bigint;
BEGIN
    SELECT * INTO STRICT reg FROM ops.mv_registry AS r WHERE r.view_name = refresh_product_aggregate.view_name;
    rel := pg_catalog.to_regclass(reg.view_name);
    SELECT pg_catalog.format('%I.%I', n.nspname, p.proname) INTO STRICT compute
    FROM pg_catalog.pg_proc AS p
    JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
    WHERE p.oid = pg_catalog.to_regprocedure(reg.compute_function);

    -- Everything, when asked, on a first refresh, or when an entry covers every merchant (a TRUNCATE).
    IF NOT full_rebuild THEN
        full_rebuild := reg.last_success_at IS NULL OR EXISTS (
            SELECT 1 FROM ops.agg_product_invalidations AS i
            WHERE i.view_name = reg.view_name AND i.merchant_id IS NULL
              AND (pg_catalog.pg_visible_in_snapshot(i.xid, covered) OR i.xid = pg_catalog.pg_current_xact_id_if_assigned()));
    END IF;

    IF full_rebuild THEN
        refresh_mode := 'full';
        -- DELETE, not TRUNCATE: readers keep reading the old rows until this transaction commits.
        EXECUTE pg_catalog.format('DELETE FROM %s', rel);
        EXECUTE pg_catalog.format('INSERT INTO %s SELECT * FROM %s(NULL, NULL, $1)', rel, compute) USING CURRENT_DATE;
        GET DIAGNOSTICS row_count = ROW_COUNT;
    ELSE
        refresh_mode := 'incremental';
        -- The logged products, and their merchants: (merchant_id, product_id) lead the facts' and
        -- the table's indexes, so both arrays together make index lookups.
        SELECT coalesce(pg_catalog.array_agg(DISTINCT i.merchant_id), '{}'), coalesce(pg_catalog.array_agg(DISTINCT i.product_id), '{}')
        INTO merchants, products
        FROM ops.agg_product_invalidations AS i
        WHERE i.view_name = reg.view_name
          AND (pg_catalog.pg_visible_in_snapshot(i.xid, covered) OR i.xid = pg_catalog.pg_current_xact_id_if_assigned())
          AND (i.sales_day IS NULL OR i.sales_day < CURRENT_DATE);
        IF pg_catalog.cardinality(products) > 0 THEN
            EXECUTE pg_catalog.format('DELETE FROM %s WHERE merchant_id = ANY ($1) AND product_id = ANY ($2)', rel)
                USING merchants, products;
            GET DIAGNOSTICS deleted = ROW_COUNT;
            EXECUTE pg_catalog.format('INSERT INTO %s SELECT * FROM %s($1, $2, $3)', rel, compute)
                USING merchants, products, CURRENT_DATE;
            GET DIAGNOSTICS inserted = ROW_COUNT;
        END IF;
        IF reg.last_row_count IS NULL THEN
            EXECUTE pg_catalog.format('SELECT count(*) FROM %s', rel) INTO row_count;
        ELSE
            row_count := reg.last_row_count + coalesce(inserted, 0) - coalesce(deleted, 0);
        END IF;
    END IF;

    -- Entries of lines dated today or later wait: the window (up to yesterday) does not hold them
    -- yet; the refresh on the day after theirs recomputes their products.
    PERFORM ops.consume_product_invalidations(reg.view_name, covered, CURRENT_DATE);
END
$$;

COMMENT ON FUNCTION ops.refresh_product_aggregate(text, boolean, pg_catalog.pg_snapshot) IS
    'Recomputes an incremental aggregate of bucket width product inside ops.refresh_view (called by ops.refresh_aggregate): the rows of the products named by the entries of ops.agg_product_invalidations the snapshot saw, DELETEd and re-INSERTed from the compute function (merchants bigint[], products bigint[], as_of date); or every row (full_rebuild, a first refresh, a TRUNCATE). Consumes the entries it covered. Returns the row count and full or incremental.';
REVOKE EXECUTE ON FUNCTION ops.refresh_product_aggregate(text, boolean, pg_catalog.pg_snapshot) FROM PUBLIC;

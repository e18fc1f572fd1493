-- ops.refresh_inventory_summary: the refresh of mart.mv_inventory_summary (its delta_function,
-- called by ops.refresh_aggregate after the date-moved function): recomputes the logged products
-- and adds the deltas of mart.mv_product_sales_daily (ops.product_sales_deltas) to the 30-day
-- sales of the others (docs/refresh.md, "Aggregates that follow their base by deltas").
-- requires: ops.mv_registry, ops.agg_product_invalidations, ops.agg_invalidations, ops.product_sales_deltas
--           (0043_product_sales_deltas), mart.mv_inventory_summary, mart.mv_product_sales_daily,
--           dw.suggested_reorder_qty, ops.consume_product_invalidations
-- Runs inside ops.refresh_view's transaction, after ops.refresh_aggregate locked the table, logged
-- what a moved date changed and set erpdb.date_moved to this view's name when the date moved.
-- - Recomputed from the compute function (which sums the base): the products of the entries of
--   ops.agg_product_invalidations the snapshot saw (stock, product, category; the date-moved
--   function's), all rows of a merchant the base rewrote over unbounded days (no deltas), and when
--   the date moved, every product with deltas dated before today (they were of another window).
--   Everything on a full refresh, a first refresh, or an entry of every merchant.
-- - Otherwise a product's row changes by the deltas dated inside its window (the 30 days before
--   today): units_sold_30d and cost_sold_30d add them, and the columns derived from them are
--   derived again with the compute function's expressions. Deltas dated today or later wait in
--   the log (no window holds them yet; the refresh of the day after recomputes their products).
--   Rows exist for products with stock only, so deltas of other products change nothing.
-- Consistency: adding is not idempotent, so, as ops.refresh_top_products, it takes a SHARE lock on
-- the base first (its refresh waits; every delta and range already written is committed) and
-- consumes the deltas and ranges it read whole, not by the covered snapshot.

CREATE OR REPLACE FUNCTION ops.refresh_inventory_summary(
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
    today     date := CURRENT_DATE;
    moved     boolean;
    merchants bigint[];
    products  bigint[];
    deleted   bigint;
    inserted  bigint;
BEGIN
    SELECT * INTO STRICT reg FROM ops.mv_registry AS r WHERE r.view_name = refresh_inventory_summary.view_name;
    LOCK TABLE mart.mv_product_sales_daily IN SHARE MODE;
    moved := pg_catalog.current_setting('erpdb.date_moved', true) = reg.view_name;

    IF NOT full_rebuild THEN
        full_rebuild := reg.last_success_at IS NULL
            OR EXISTS (SELECT 1 FROM ops.agg_product_invalidations AS i
                       WHERE i.view_name = reg.view_name AND i.merchant_id IS NULL
                         AND (pg_catalog.pg_visible_in_snapshot(i.xid, covered) OR i.xid = pg_catalog.pg_current_xact_id_if_assigned()))
            OR EXISTS (SELECT 1 FROM ops.agg_invalidations AS i
                       WHERE i.view_name = reg.view_name AND i.merchant_id IS NULL
                         AND NOT (pg_catalog.isfinite(i.first_day) AND pg_catalog.isfinite(i.last_day)));
    END IF;

    IF full_rebuild THEN
        refresh_mode := 'full';
        -- DELETE, not TRUNCATE: readers keep reading the old rows until this transaction commits.
        DELETE FROM mart.mv_inventory_summary;
        INSERT INTO mart.mv_inventory_summary SELECT * FROM mart.mv_inventory_summary_rows(NULL, NULL, today);
        GET DIAGNOSTICS row_count = ROW_COUNT;
    ELSE
        refresh_mode := 'incremental';
        -- The products to recompute, and their merchants ((merchant_id, product_id) lead the
        -- indexes, so both arrays together make index lookups).
        SELECT coalesce(pg_catalog.array_agg(DISTINCT k.merchant_id), '{}'), coalesce(pg_catalog.array_agg(DISTINCT k.product_id), '{}')
        INTO merchants, products
        FROM (SELECT i.merchant_id, i.product_id FROM ops.agg_product_invalidations AS i
              WHERE i.view_name = reg.view_name
                AND (pg_catalog.pg_visible_in_snapshot(i.xid, covered) OR i.xid = pg_catalog.pg_current_xact_id_if_assigned())
                AND (i.sales_day IS NULL OR i.sales_day < today)
              UNION ALL
              SELECT t.merchant_id, t.product_id FROM mart.mv_inventory_summary AS t
              WHERE t.merchant_id IN (SELECT i.merchant_id FROM ops.agg_invalidations AS i
                                      WHERE i.view_name = reg.view_name AND NOT (pg_catalog.isfinite(i.first_day) AND pg_catalog.isfinite(i.last_day)))
              UNION ALL
              SELECT d.merchant_id, d.product_id FROM ops.product_sales_deltas AS d
              WHERE moved AND d.view_name = reg.view_name AND d.sales_date < today) AS k;
        IF pg_catalog.cardinality(products) > 0 THEN
            DELETE FROM mart.mv_inventory_summary AS t WHERE t.merchant_id = ANY (merchants) AND t.product_id = ANY (products);
            GET DIAGNOSTICS deleted = ROW_COUNT;
            INSERT INTO mart.mv_inventory_summary SELECT * FROM mart.mv_inventory_summary_rows(merchants, products, today);
            GET DIAGNOSTICS inserted = ROW_COUNT;
        END IF;

        IF NOT moved THEN
            -- The others: their window's deltas added, the derived columns derived again (the
            -- expressions of mart.mv_inventory_summary_rows, over the same unrounded inventory_value_cny).
            UPDATE mart.mv_inventory_summary AS t
            SET units_sold_30d = n.units_sold_30d,
                cost_sold_30d = n.cost_sold_30d,
                avg_daily_units = pg_catalog.round(n.units_sold_30d / 30.0, 4),
                days_of_cover = pg_catalog.round(t.quantity_available / NULLIF(n.units_sold_30d / 30.0, 0), 1),
                turnover_30d = pg_catalog.round(n.cost_sold_30d / NULLIF(t.inventory_value_cny, 0), 4),
                suggested_reorder_qty = dw.suggested_reorder_qty(t.safety_stock, n.units_sold_30d, t.quantity_available, t.quantity_incoming)
            FROM (SELECT c.merchant_id, c.product_id, r.units_sold_30d + c.units AS units_sold_30d, r.cost_sold_30d + c.cost AS cost_sold_30d
                  FROM (SELECT d.merchant_id, d.product_id,
                               pg_catalog.sum(d.sign * d.units_sold)::bigint AS units, pg_catalog.sum(d.sign * d.cost_cny) AS cost
                        FROM ops.product_sales_deltas AS d
                        WHERE d.view_name = reg.view_name AND d.sales_date >= today - 30 AND d.sales_date < today
                          AND NOT (d.merchant_id = ANY (merchants) AND d.product_id = ANY (products))
                        GROUP BY d.merchant_id, d.product_id) AS c
                  JOIN mart.mv_inventory_summary AS r ON r.merchant_id = c.merchant_id AND r.product_id = c.product_id
                  WHERE c.units <> 0 OR c.cost <> 0) AS n
            WHERE t.merchant_id = n.merchant_id AND t.product_id = n.product_id;
        END IF;
        IF reg.last_row_count IS NULL THEN
            SELECT pg_catalog.count(*) INTO row_count FROM mart.mv_inventory_summary;
        ELSE
            row_count := reg.last_row_count + coalesce(inserted, 0) - coalesce(deleted, 0);
        END IF;
    END IF;

    -- Entries and deltas dated today or later wait (no window holds them yet). Under the lock every
    -- delta and range is committed and was read: the rest go.
    PERFORM ops.consume_product_invalidations(reg.view_name, covered, today);
    DELETE FROM ops.product_sales_deltas AS d WHERE d.view_name = reg.view_name AND d.sales_date < today;
    DELETE FROM ops.agg_invalidations AS i WHERE i.view_name = reg.view_name;
END
$$;

COMMENT ON FUNCTION ops.refresh_inventory_summary(text, boolean, pg_catalog.pg_snapshot) IS
    'The delta_function of mart.mv_inventory_summary, called by ops.refresh_aggregate inside ops.refresh_view: under a SHARE lock on mart.mv_product_sales_daily, recomputes the products logged in ops.agg_product_invalidations (and, when the date moved, those with deltas), the merchants the base rewrote over unbounded days, and adds the base''s deltas dated in the 30 days before today to the 30-day sales of the other products, deriving their dependent columns again; everything on a full refresh, a first refresh or an entry of every merchant. Deltas dated today or later wait. Returns the row count and full or incremental.';
REVOKE EXECUTE ON FUNCTION ops.refresh_inventory_summary(text, boolean, pg_catalog.pg_snapshot) FROM PUBLIC;

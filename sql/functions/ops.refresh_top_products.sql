-- ops.refresh_top_products: the refresh of mart.mv_top_products (its delta_function, called by
-- ops.refresh_aggregate): follows mart.mv_product_sales_daily by the deltas its refresh logged
-- (ops.product_sales_deltas) instead of recomputing whole merchants (docs/refresh.md, "Aggregates
-- that follow their base by deltas").
-- requires: ops.mv_registry, ops.agg_invalidations, ops.product_sales_deltas (0043_product_sales_deltas),
--           mart.mv_top_products, mart.mv_product_sales_daily, dw.dim_merchants
-- Runs inside ops.refresh_view's transaction, after ops.refresh_aggregate locked the table.
-- The rows are sums over windows: a base row of day D counts in the window of w days ending E when
-- E - w < D <= E. So the table follows the base exactly when it adds, per window:
-- - the signed deltas of the days inside the window as the table had it (ending on its window_end);
-- - when the date moved from window_end to today, the base rows of the days that entered the
--   window (+) and of those that left it (-), read from the base as it is now.
-- A row whose order_count reaches 0 has no day left in its window (every base row counts at least
-- one order) and goes, as a full recompute would not have it; a product that appears gets a row.
-- Recomputed from the compute function instead: everything on a full refresh, a first refresh, an
-- empty table, a range of every merchant with unbounded days (a TRUNCATE or full rebuild of the
-- base), or a move of 90 days or more; the merchants named by a range with unbounded days (their
-- base rows were rewritten whole, e.g. a product renamed, and no deltas were logged).
-- Consistency: a SHARE lock on the base first. Its refresh takes ROW EXCLUSIVE (and writes its
-- deltas and ranges in that transaction), so it waits for this one, and every delta or range
-- already written is committed: each statement below sees the same base and the whole log, which
-- it consumes whole (not by the covered snapshot, which may be older than the lock).

CREATE OR REPLACE FUNCTION ops.refresh_top_products(
    view_name text,
    full_rebuild boolean,
    covered pg_catalog.pg_snapshot,
    OUT row_count bigint,
    OUT refresh_mode text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    reg         ops.mv_registry;
    today       date := CURRENT_DATE;
    computed_on date;
    recompute   bigint[];
    merchants   bigint[];
    slide_days  date[] := ARRAY[]::date[];
BEGIN
    SELECT * INTO STRICT reg FROM ops.mv_registry AS r WHERE r.view_name = refresh_top_products.view_name;
    -- The covered snapshot of the delta_function signature was taken before this lock: under it every
    -- entry is committed, so this refresh reads and consumes them all (it has no other use here).
    LOCK TABLE mart.mv_product_sales_daily IN SHARE MODE;
    PERFORM covered;

    SELECT t.window_end INTO computed_on FROM mart.mv_top_products AS t LIMIT 1;
    IF NOT full_rebuild THEN
        full_rebuild := reg.last_success_at IS NULL OR computed_on IS NULL
            OR pg_catalog.abs(today - computed_on) >= 90
            OR EXISTS (SELECT 1 FROM ops.agg_invalidations AS i
                       WHERE i.view_name = reg.view_name AND i.merchant_id IS NULL
                         AND NOT (pg_catalog.isfinite(i.first_day) AND pg_catalog.isfinite(i.last_day)));
    END IF;

    IF full_rebuild THEN
        refresh_mode := 'full';
        -- DELETE, not TRUNCATE: readers keep reading the old rows until this transaction commits.
        DELETE FROM mart.mv_top_products;
        INSERT INTO mart.mv_top_products SELECT * FROM mart.mv_top_products_rows(NULL, '-infinity', 'infinity', today);
        GET DIAGNOSTICS row_count = ROW_COUNT;
    ELSE
        refresh_mode := 'incremental';
        -- Merchants whose base rows were rewritten over unbounded days: no deltas, recomputed.
        SELECT coalesce(pg_catalog.array_agg(DISTINCT i.merchant_id), '{}') INTO recompute
        FROM ops.agg_invalidations AS i
        WHERE i.view_name = reg.view_name AND NOT (pg_catalog.isfinite(i.first_day) AND pg_catalog.isfinite(i.last_day));
        IF pg_catalog.cardinality(recompute) > 0 THEN
            DELETE FROM mart.mv_top_products AS t WHERE t.merchant_id = ANY (recompute);
            INSERT INTO mart.mv_top_products SELECT * FROM mart.mv_top_products_rows(recompute, '-infinity', 'infinity', today);
        END IF;

        IF computed_on <> today THEN
            -- The days whose weight changed in some window (entered: +1, left: -1); with the
            -- merchants, they make index lookups on the base's (merchant_id, sales_date).
            SELECT coalesce(pg_catalog.array_agg(DISTINCT g.day), '{}') INTO slide_days
            FROM (VALUES (7), (30), (90)) AS w (window_days)
            CROSS JOIN LATERAL (SELECT LEAST(today, computed_on) - 89 + s.n AS day
                                FROM pg_catalog.generate_series(0, GREATEST(today, computed_on) - LEAST(today, computed_on) + 89) AS s (n)) AS g
            WHERE (g.day > today - w.window_days AND g.day <= today) <> (g.day > computed_on - w.window_days AND g.day <= computed_on);
            SELECT coalesce(pg_catalog.array_agg(m.merchant_id), '{}') INTO merchants
            FROM dw.dim_merchants AS m WHERE m.merchant_id <> ALL (recompute);
            UPDATE mart.mv_top_products AS t SET window_end = today WHERE t.window_end <> today;
        END IF;

        -- Per (merchant, window, product): the deltas inside the window as it ended on computed_on,
        -- plus the slide; then added to the rows.
        MERGE INTO mart.mv_top_products AS t
        USING (
            SELECT c.merchant_id, c.window_days, c.product_id,
                   pg_catalog.max(c.sku) FILTER (WHERE c.coef > 0) AS sku,
                   pg_catalog.max(c.product_name) FILTER (WHERE c.coef > 0) AS product_name,
                   pg_catalog.sum(c.coef * c.revenue_cny) AS revenue_cny,
                   pg_catalog.sum(c.coef * c.order_count)::bigint AS order_count,
                   pg_catalog.sum(c.coef * c.units_sold)::bigint AS units_sold
            FROM (
                SELECT d.merchant_id, w.window_days, d.product_id, d.sign::integer AS coef, d.sku, d.product_name,
                       d.revenue_cny, d.order_count, d.units_sold
                FROM ops.product_sales_deltas AS d
                CROSS JOIN (VALUES (7), (30), (90)) AS w (window_days)
                WHERE d.view_name = reg.view_name AND d.merchant_id <> ALL (recompute)
                  AND d.sales_date > computed_on - w.window_days AND d.sales_date <= computed_on
                UNION ALL
                SELECT b.merchant_id, w.window_days, b.product_id,
                       (b.sales_date > today - w.window_days AND b.sales_date <= today)::integer
                       - (b.sales_date > computed_on - w.window_days AND b.sales_date <= computed_on)::integer AS coef,
                       b.sku, b.product_name, b.revenue_cny, b.order_count, b.units_sold
                FROM mart.mv_product_sales_daily AS b
                CROSS JOIN (VALUES (7), (30), (90)) AS w (window_days)
                WHERE b.merchant_id = ANY (merchants) AND b.sales_date = ANY (slide_days)
            ) AS c
            WHERE c.coef <> 0
            GROUP BY c.merchant_id, c.window_days, c.product_id
        ) AS c
        ON t.merchant_id = c.merchant_id AND t.window_days = c.window_days AND t.product_id = c.product_id
        WHEN MATCHED AND t.order_count + c.order_count <= 0 THEN
            DELETE
        WHEN MATCHED AND (c.order_count <> 0 OR c.units_sold <> 0 OR c.revenue_cny <> 0) THEN
            UPDATE SET sku = coalesce(c.sku, t.sku), product_name = coalesce(c.product_name, t.product_name),
                       revenue_cny = pg_catalog.round(t.revenue_cny + c.revenue_cny, 2),
                       order_count = t.order_count + c.order_count, units_sold = t.units_sold + c.units_sold
        WHEN NOT MATCHED AND c.order_count > 0 THEN
            INSERT (merchant_id, window_days, window_end, product_id, sku, product_name, revenue_cny, order_count, units_sold)
            VALUES (c.merchant_id, c.window_days, today, c.product_id, c.sku, c.product_name,
                    pg_catalog.round(c.revenue_cny, 2), c.order_count, c.units_sold);
        SELECT pg_catalog.count(*) INTO row_count FROM mart.mv_top_products;
    END IF;

    -- Under the lock every entry is committed and was read (or covered by a recompute): all go.
    DELETE FROM ops.product_sales_deltas AS d WHERE d.view_name = reg.view_name;
    DELETE FROM ops.agg_invalidations AS i WHERE i.view_name = reg.view_name;
END
$$;

COMMENT ON FUNCTION ops.refresh_top_products(text, boolean, pg_catalog.pg_snapshot) IS
    'The delta_function of mart.mv_top_products, called by ops.refresh_aggregate inside ops.refresh_view: under a SHARE lock on mart.mv_product_sales_daily, adds the signed deltas its refresh logged (ops.product_sales_deltas) to the 7/30/90-day windows holding their days, slides the windows when the date moved (days entered added, days left subtracted, from the base), inserts products that appear and deletes rows left without orders; recomputes merchants whose base was rewritten over unbounded days, and everything on a full refresh, a first refresh, an empty table, a TRUNCATE upstream or a move of 90 days or more. Consumes the deltas and ranges logged for it. Returns the row count and full or incremental.';
REVOKE EXECUTE ON FUNCTION ops.refresh_top_products(text, boolean, pg_catalog.pg_snapshot) FROM PUBLIC;

-- ops.recompute_c_class: recomputes the C-class results (mart.target_achievement,
-- mart.campaign_results) from the A-class config and the refreshed views.
-- requires: mart.target_achievement, dw.cfg_sales_targets (0012, 0008), mart.campaign_results,
--           dw.cfg_sales_campaigns (0019, 0008), mart.mv_daily_sales,
--           mart.mv_customer_segments (sql/views)
-- Called after a due refresh that refreshed something, by ops.refresh_all, and by the statement
-- trigger on every dw.cfg_* table. A failure is logged in ops.mv_refresh_log, never raised, so a
-- config write or a refresh run is not undone by it.

CREATE OR REPLACE FUNCTION ops.recompute_c_class(refresh_trigger text DEFAULT 'manual')
RETURNS ops.mv_refresh_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    started     timestamptz := pg_catalog.clock_timestamp();
    computed    bigint := 0;
    error_text  text;
    error_state text;
    logged      ops.mv_refresh_log;
BEGIN
    -- While migrate re-creates the views (they are dropped for the length of its transaction),
    -- there is nothing to compute from; the next due refresh does it.
    IF pg_catalog.to_regclass('mart.mv_daily_sales') IS NULL OR pg_catalog.to_regclass('mart.mv_customer_segments') IS NULL THEN
        RETURN NULL;
    END IF;

    BEGIN
        -- Full recompute in one transaction: readers see the old or the new results, never a mix.
        DELETE FROM mart.target_achievement;
        INSERT INTO mart.target_achievement (merchant_id, target_id, shop_id, metric, period_type, period_start,
                                             period_end, target_value, actual_value, achievement_rate, elapsed_share, status)
        SELECT t.merchant_id, t.target_id, t.shop_id, t.metric, t.period_type, t.period_start, t.period_end,
               t.target_value, a.actual_value,
               CASE WHEN t.target_value > 0 THEN pg_catalog.round(a.actual_value / t.target_value, 6) END,
               e.elapsed_share,
               CASE
                   WHEN a.actual_value >= t.target_value AND t.target_value > 0 THEN 'achieved'
                   WHEN CURRENT_DATE < t.period_start THEN 'not_started'
                   WHEN CURRENT_DATE > t.period_end THEN 'missed'
                   WHEN t.target_value = 0 OR a.actual_value / t.target_value >= e.elapsed_share THEN 'on_track'
                   ELSE 'behind'
               END
        FROM dw.cfg_sales_targets AS t
        CROSS JOIN LATERAL (
            SELECT pg_catalog.round(LEAST(1, GREATEST(0, (CURRENT_DATE - t.period_start + 1)::numeric
                                                   / (t.period_end - t.period_start + 1))), 6) AS elapsed_share
        ) AS e
        CROSS JOIN LATERAL (
            SELECT coalesce(CASE t.metric
                       WHEN 'gmv_cny' THEN (SELECT sum(d.gmv_cny) FROM mart.mv_daily_sales AS d
                                            WHERE d.merchant_id = t.merchant_id AND (t.shop_id IS NULL OR d.shop_id = t.shop_id)
                                              AND d.sales_date BETWEEN t.period_start AND t.period_end)
                       WHEN 'orders' THEN (SELECT sum(d.order_count) FROM mart.mv_daily_sales AS d
                                           WHERE d.merchant_id = t.merchant_id AND (t.shop_id IS NULL OR d.shop_id = t.shop_id)
                                             AND d.sales_date BETWEEN t.period_start AND t.period_end)
                       WHEN 'units' THEN (SELECT sum(d.item_count) FROM mart.mv_daily_sales AS d
                                          WHERE d.merchant_id = t.merchant_id AND (t.shop_id IS NULL OR d.shop_id = t.shop_id)
                                            AND d.sales_date BETWEEN t.period_start AND t.period_end)
                       WHEN 'gross_profit_cny' THEN (SELECT sum(d.gross_profit_cny) FROM mart.mv_daily_sales AS d
                                                     WHERE d.merchant_id = t.merchant_id AND (t.shop_id IS NULL OR d.shop_id = t.shop_id)
                                                       AND d.sales_date BETWEEN t.period_start AND t.period_end)
                       WHEN 'net_profit_cny' THEN (SELECT sum(d.net_profit_cny) FROM mart.mv_daily_sales AS d
                                                   WHERE d.merchant_id = t.merchant_id AND (t.shop_id IS NULL OR d.shop_id = t.shop_id)
                                                     AND d.sales_date BETWEEN t.period_start AND t.period_end)
                       -- New customers are counted per merchant (a customer is new to the merchant, not to a shop).
                       WHEN 'new_customers' THEN (SELECT count(*) FROM mart.mv_customer_segments AS c
                                                  WHERE c.merchant_id = t.merchant_id
                                                    AND c.first_order_date BETWEEN t.period_start AND t.period_end)
                   END, 0)::numeric AS actual_value
        ) AS a;
        GET DIAGNOSTICS computed = ROW_COUNT;

        -- Campaigns: valid sales in the window and scope; ROI = (gross profit - budget) / budget.
        DELETE FROM mart.campaign_results;
        INSERT INTO mart.campaign_results (merchant_id, campaign_id, campaign_code, campaign_name, start_date, end_date,
                                           target_gmv_cny, budget_cny, gmv_cny, gross_profit_cny, order_count,
                                           achievement_rate, roi)
        SELECT c.merchant_id, c.campaign_id, c.campaign_code, c.campaign_name, c.start_date, c.end_date,
               c.target_gmv_cny, c.budget_cny, s.gmv_cny, s.gross_profit_cny, s.order_count,
               CASE WHEN c.target_gmv_cny > 0 THEN pg_catalog.round(s.gmv_cny / c.target_gmv_cny, 6) END,
               CASE WHEN c.budget_cny > 0 THEN pg_catalog.round((s.gross_profit_cny - c.budget_cny) / c.budget_cny, 6) END
        FROM dw.cfg_sales_campaigns AS c
        CROSS JOIN LATERAL (
            SELECT coalesce(sum(d.gmv_cny), 0) AS gmv_cny, coalesce(sum(d.gross_profit_cny), 0) AS gross_profit_cny,
                   coalesce(sum(d.order_count), 0)::bigint AS order_count
            FROM mart.mv_daily_sales AS d
            WHERE d.merchant_id = c.merchant_id AND d.sales_date BETWEEN c.start_date AND c.end_date
              AND (c.shop_id IS NULL OR d.shop_id = c.shop_id)
              AND (c.platform_id IS NULL OR d.platform_id = c.platform_id)
        ) AS s
        WHERE c.status <> 'cancelled';

        INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, row_count, status, refresh_trigger)
        VALUES ('mart.target_achievement', started, pg_catalog.clock_timestamp(),
                pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - started) * 1000)::numeric, 3),
                computed, 'succeeded', refresh_trigger)
        RETURNING * INTO logged;
    EXCEPTION
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS error_text = MESSAGE_TEXT, error_state = RETURNED_SQLSTATE;
            INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, status, error_message,
                                            error_sqlstate, refresh_trigger)
            VALUES ('mart.target_achievement', started, pg_catalog.clock_timestamp(),
                    pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - started) * 1000)::numeric, 3),
                    'failed', error_text, error_state, refresh_trigger)
            RETURNING * INTO logged;
    END;
    RETURN logged;
END
$$;

COMMENT ON FUNCTION ops.recompute_c_class(text) IS
    'Recomputes mart.target_achievement (each dw.cfg_sales_targets row against mart.mv_daily_sales / mart.mv_customer_segments) and mart.campaign_results (each dw.cfg_sales_campaigns row: GMV against target, ROI = (gross profit - budget) / budget) and logs it in ops.mv_refresh_log. Returns the log row (NULL while the views do not exist); a failure is logged, not raised.';
REVOKE EXECUTE ON FUNCTION ops.recompute_c_class(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.recompute_c_class(text) TO erp_writer;

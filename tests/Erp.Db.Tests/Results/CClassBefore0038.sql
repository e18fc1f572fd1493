-- The C-class recompute as it was before migration 0038 (sql/functions/ops.recompute_c_class.sql at
-- that time): every period of the windows read from the facts, in full. CClassRecomputeTests
-- compare the results of the recompute of a due refresh (only the periods that changed) with it.
-- Amended since for rules added to both definitions: the periods that include today compare with
-- the same days of the period before, the last of them cut at cut_at's time of day (0078), here
-- from the orders by hour, not from mart.mv_hourly_sales and not with mart.day_cut.

CREATE SCHEMA c_class_before;

CREATE FUNCTION c_class_before.recompute_c_class(refresh_trigger text DEFAULT 'manual', merchant_ids bigint[] DEFAULT NULL,
                                                 cut_at timestamptz DEFAULT now())
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
    -- The windows of health and rankings: the last 90 days, 26 weeks and 24 months, the running
    -- period included. That is what is compared and ranked day to day; older periods would only
    -- make every recompute (each due refresh) grow with the age of the merchant. first_base is one
    -- month earlier, for the sales growth of the first month.
    first_day   date := CURRENT_DATE - 89;
    first_week  date := pg_catalog.date_trunc('week', CURRENT_DATE)::date - 25 * 7;
    first_month date := (pg_catalog.date_trunc('month', CURRENT_DATE) - interval '23 months')::date;
    first_base  date := (pg_catalog.date_trunc('month', CURRENT_DATE) - interval '24 months')::date;
BEGIN
    -- While migrate re-creates the views (they are dropped for the length of its transaction),
    -- there is nothing to compute from; the next due refresh does it.
    IF pg_catalog.to_regclass('mart.mv_daily_sales') IS NULL OR pg_catalog.to_regclass('mart.mv_customer_segments') IS NULL
       OR pg_catalog.to_regclass('mart.mv_product_sales_daily') IS NULL THEN
        RETURN NULL;
    END IF;

    BEGIN
        -- One transaction: readers see the old or the new results, never a mix. merchant_ids NULL
        -- = every merchant; otherwise only those merchants' rows are deleted and written.
        DELETE FROM mart.target_achievement AS t WHERE merchant_ids IS NULL OR t.merchant_id = ANY (merchant_ids);
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
        -- Elapsed up to cut_at in the merchant's zone (today counts its hours so far).
        CROSS JOIN LATERAL (
            SELECT pg_catalog.round(LEAST(1, GREATEST(0,
                       EXTRACT(EPOCH FROM (cut_at AT TIME ZONE coalesce(
                           (SELECT m.timezone FROM dw.dim_merchants AS m WHERE m.merchant_id = t.merchant_id),
                           pg_catalog.current_setting('TimeZone'))) - t.period_start::timestamp)
                       / 86400 / (t.period_end - t.period_start + 1))), 6) AS elapsed_share
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
        ) AS a
        WHERE merchant_ids IS NULL OR t.merchant_id = ANY (merchant_ids);
        GET DIAGNOSTICS computed = ROW_COUNT;

        -- Campaigns: valid sales in the window and scope; ROI = (gross profit - budget) / budget.
        DELETE FROM mart.campaign_results AS r WHERE merchant_ids IS NULL OR r.merchant_id = ANY (merchant_ids);
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
        WHERE c.status <> 'cancelled' AND (merchant_ids IS NULL OR c.merchant_id = ANY (merchant_ids));

        -- Shop health and the shop rankings (docs/business-flows.md, Shop health score). Sales,
        -- returns and fulfilment per shop and day come from the orders (no view holds returns or
        -- ship times; one scan keeps the components consistent), listings from product metrics.
        DELETE FROM mart.shop_health AS h WHERE merchant_ids IS NULL OR h.merchant_id = ANY (merchant_ids);
        INSERT INTO mart.shop_health (merchant_id, shop_id, period_type, period_start, period_end, order_count, gmv_cny,
                                      gross_profit_cny, previous_gmv_cny, sales_growth, sales_growth_score, sales_growth_weight,
                                      gross_margin, gross_margin_score, gross_margin_weight, fulfilment_hours, fulfilment_score,
                                      fulfilment_weight, return_rate, return_rate_score, return_rate_weight, stock_out_rate,
                                      stock_out_score, stock_out_weight, config_id, score, revenue_rank, profit_rank, health_rank,
                                      previous_start, previous_end, previous_through)
        WITH order_days AS (
            SELECT o.merchant_id, o.shop_id, o.order_date AS day,
                   count(*) FILTER (WHERE dw.is_valid_sale(o.status)) AS order_count,
                   coalesce(sum(o.gmv_cny) FILTER (WHERE dw.is_valid_sale(o.status)), 0) AS gmv_cny,
                   coalesce(sum(o.gross_profit_cny) FILTER (WHERE dw.is_valid_sale(o.status)), 0) AS gross_profit_cny,
                   -- Returned: not a sale and not cancelled (refunded or returned).
                   count(*) FILTER (WHERE NOT dw.is_valid_sale(o.status) AND o.status <> 'cancelled') AS returned_orders,
                   count(*) FILTER (WHERE o.status <> 'cancelled') AS kept_orders,
                   count(o.shipped_at) AS shipped_orders,
                   coalesce(sum(EXTRACT(epoch FROM o.shipped_at - o.ordered_at)), 0) AS ship_seconds
            FROM dw.fact_sales_orders AS o
            WHERE o.order_date BETWEEN first_base AND CURRENT_DATE
              AND (merchant_ids IS NULL OR o.merchant_id = ANY (merchant_ids))
            GROUP BY o.merchant_id, o.shop_id, o.order_date
        ), listing_days AS (
            SELECT m.merchant_id, m.shop_id, m.metric_date AS day, count(*) AS listings,
                   count(*) FILTER (WHERE m.stock = 0 OR m.listing_status = 'out_of_stock') AS out_of_stock
            FROM dw.fact_product_metrics AS m
            WHERE m.metric_date BETWEEN first_base AND CURRENT_DATE AND m.listing_status IN ('active', 'out_of_stock')
              AND (merchant_ids IS NULL OR m.merchant_id = ANY (merchant_ids))
            GROUP BY m.merchant_id, m.shop_id, m.metric_date
        ), days AS (
            SELECT coalesce(o.merchant_id, l.merchant_id) AS merchant_id, coalesce(o.shop_id, l.shop_id) AS shop_id,
                   coalesce(o.day, l.day) AS day, coalesce(o.order_count, 0) AS order_count, coalesce(o.gmv_cny, 0) AS gmv_cny,
                   coalesce(o.gross_profit_cny, 0) AS gross_profit_cny, coalesce(o.returned_orders, 0) AS returned_orders,
                   coalesce(o.kept_orders, 0) AS kept_orders, coalesce(o.shipped_orders, 0) AS shipped_orders,
                   coalesce(o.ship_seconds, 0) AS ship_seconds, coalesce(l.listings, 0) AS listings,
                   coalesce(l.out_of_stock, 0) AS out_of_stock
            FROM order_days AS o
            FULL JOIN listing_days AS l ON l.merchant_id = o.merchant_id AND l.shop_id = o.shop_id AND l.day = o.day
        ), periods AS (
            SELECT d.merchant_id, d.shop_id, p.period_type, p.period_start, p.step,
                   sum(d.order_count)::bigint AS order_count, sum(d.gmv_cny) AS gmv_cny, sum(d.gross_profit_cny) AS gross_profit_cny,
                   sum(d.returned_orders) AS returned_orders, sum(d.kept_orders) AS kept_orders,
                   sum(d.shipped_orders) AS shipped_orders, sum(d.ship_seconds) AS ship_seconds,
                   sum(d.listings) AS listings, sum(d.out_of_stock) AS out_of_stock
            FROM days AS d
            CROSS JOIN LATERAL (VALUES ('day', d.day, interval '1 day'),
                                       ('week', pg_catalog.date_trunc('week', d.day)::date, interval '1 week'),
                                       ('month', pg_catalog.date_trunc('month', d.day)::date, interval '1 month'))
                AS p(period_type, period_start, step)
            GROUP BY d.merchant_id, d.shop_id, p.period_type, p.period_start, p.step
        ), raw AS (
            SELECT c.merchant_id, c.shop_id, c.period_type, c.period_start, e.period_end, c.order_count, c.gmv_cny,
                   c.gross_profit_cny, coalesce(b.gmv_cny, 0) AS previous_gmv_cny,
                   CASE WHEN b.gmv_cny > 0 THEN pg_catalog.round((c.gmv_cny - b.gmv_cny) / b.gmv_cny, 6) END AS sales_growth,
                   CASE WHEN c.gmv_cny > 0 THEN pg_catalog.round(c.gross_profit_cny / c.gmv_cny, 6) END AS gross_margin,
                   CASE WHEN c.shipped_orders > 0 THEN pg_catalog.round(c.ship_seconds / 3600 / c.shipped_orders, 2) END AS fulfilment_hours,
                   CASE WHEN c.kept_orders > 0 THEN pg_catalog.round(c.returned_orders::numeric / c.kept_orders, 6) END AS return_rate,
                   CASE WHEN c.listings > 0 THEN pg_catalog.round(c.out_of_stock::numeric / c.listings, 6) END AS stock_out_rate,
                   g.config_id, (c.period_start - c.step)::date AS previous_start,
                   CASE WHEN e.period_end >= CURRENT_DATE THEN (CURRENT_DATE - c.step)::date ELSE c.period_start - 1 END AS previous_end,
                   t.through AS previous_through,
                   (ops.shop_health_defaults() -> 'weights') || coalesce(g.weights, '{}') AS weights,
                   (ops.shop_health_defaults() -> 'thresholds') || coalesce(g.thresholds, '{}') AS thresholds
            FROM periods AS c
            CROSS JOIN LATERAL (SELECT (c.period_start + c.step - interval '1 day')::date AS period_end) AS e
            -- The period before; a week or month still running against the same days of the one before
            -- (a rule added to both definitions after 0038).
            CROSS JOIN LATERAL (
                SELECT sum(p.gmv_cny) AS gmv_cny FROM days AS p
                WHERE p.merchant_id = c.merchant_id AND p.shop_id = c.shop_id
                  AND p.day >= (c.period_start - c.step)::date AND p.day < c.period_start
                  AND (e.period_end < CURRENT_DATE OR p.day < (CURRENT_DATE - c.step)::date)
            ) AS b0
            -- The last day compared while this period includes today, by the hour of each order in the
            -- merchant's zone: up to cut_at's time of day there (00:00 before today begins there,
            -- 24:00 after it ends), its hours before whole, that hour by minutes / 60.
            LEFT JOIN LATERAL (
                SELECT pg_catalog.round(coalesce(sum(o.gmv_cny) FILTER (WHERE EXTRACT(hour FROM o.ordered_at AT TIME ZONE m.timezone) < EXTRACT(hour FROM k.through)), 0)
                                        + coalesce(sum(o.gmv_cny) FILTER (WHERE EXTRACT(hour FROM o.ordered_at AT TIME ZONE m.timezone) = EXTRACT(hour FROM k.through)), 0)
                                          * EXTRACT(minute FROM k.through) / 60, 2) AS gmv_cny,
                       (CURRENT_DATE - c.step)::date + k.through AS through
                FROM dw.dim_merchants AS m
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN (cut_at AT TIME ZONE m.timezone)::date < CURRENT_DATE THEN time '00:00'
                                WHEN (cut_at AT TIME ZONE m.timezone)::date > CURRENT_DATE THEN time '24:00'
                                ELSE pg_catalog.date_trunc('minute', cut_at AT TIME ZONE m.timezone)::time END AS through
                ) AS k
                LEFT JOIN dw.fact_sales_orders AS o
                    ON o.merchant_id = m.merchant_id AND o.shop_id = c.shop_id AND o.order_date = (CURRENT_DATE - c.step)::date
                   AND dw.is_valid_sale(o.status)
                WHERE m.merchant_id = c.merchant_id
                GROUP BY k.through
            ) AS t ON e.period_end >= CURRENT_DATE
            CROSS JOIN LATERAL (SELECT CASE WHEN e.period_end >= CURRENT_DATE THEN coalesce(b0.gmv_cny, 0) + t.gmv_cny ELSE b0.gmv_cny END AS gmv_cny) AS b
            -- The merchant's shop_health configuration in effect on the period's last day (today
            -- for the running period); none: the defaults.
            LEFT JOIN LATERAL (
                SELECT f.config_id, f.weights, f.thresholds
                FROM dw.cfg_performance_configs AS f
                WHERE f.merchant_id = c.merchant_id AND f.config_code = 'shop_health' AND f.is_active
                  AND f.effective_from <= LEAST(e.period_end, CURRENT_DATE)
                  AND (f.effective_to IS NULL OR f.effective_to >= LEAST(e.period_end, CURRENT_DATE))
                ORDER BY f.effective_from DESC
                LIMIT 1
            ) AS g ON true
            WHERE c.period_start >= CASE c.period_type WHEN 'day' THEN first_day WHEN 'week' THEN first_week ELSE first_month END
        ), scored AS (
            SELECT r.*, s.*, w.*
            FROM raw AS r
            CROSS JOIN LATERAL (
                SELECT ops.health_component_score(r.sales_growth, r.thresholds -> 'sales_growth') AS sales_growth_score,
                       ops.health_component_score(r.gross_margin, r.thresholds -> 'gross_margin') AS gross_margin_score,
                       ops.health_component_score(r.fulfilment_hours, r.thresholds -> 'fulfilment_hours') AS fulfilment_score,
                       ops.health_component_score(r.return_rate, r.thresholds -> 'return_rate') AS return_rate_score,
                       ops.health_component_score(r.stock_out_rate, r.thresholds -> 'stock_out_rate') AS stock_out_score
            ) AS s
            -- A weight that is not a number, or is negative, counts as 0.
            CROSS JOIN LATERAL (
                SELECT CASE WHEN jsonb_typeof(r.weights -> 'sales_growth') = 'number' THEN GREATEST(0, (r.weights ->> 'sales_growth')::numeric) ELSE 0 END AS sales_growth_weight,
                       CASE WHEN jsonb_typeof(r.weights -> 'gross_margin') = 'number' THEN GREATEST(0, (r.weights ->> 'gross_margin')::numeric) ELSE 0 END AS gross_margin_weight,
                       CASE WHEN jsonb_typeof(r.weights -> 'fulfilment_hours') = 'number' THEN GREATEST(0, (r.weights ->> 'fulfilment_hours')::numeric) ELSE 0 END AS fulfilment_weight,
                       CASE WHEN jsonb_typeof(r.weights -> 'return_rate') = 'number' THEN GREATEST(0, (r.weights ->> 'return_rate')::numeric) ELSE 0 END AS return_rate_weight,
                       CASE WHEN jsonb_typeof(r.weights -> 'stock_out_rate') = 'number' THEN GREATEST(0, (r.weights ->> 'stock_out_rate')::numeric) ELSE 0 END AS stock_out_weight
            ) AS w
        ), totals AS (
            -- The weighted mean over the components that have a score.
            SELECT x.*,
                   pg_catalog.round(
                       (coalesce(x.sales_growth_score * x.sales_growth_weight, 0) + coalesce(x.gross_margin_score * x.gross_margin_weight, 0)
                        + coalesce(x.fulfilment_score * x.fulfilment_weight, 0) + coalesce(x.return_rate_score * x.return_rate_weight, 0)
                        + coalesce(x.stock_out_score * x.stock_out_weight, 0))
                       / NULLIF(CASE WHEN x.sales_growth_score IS NULL THEN 0 ELSE x.sales_growth_weight END
                                + CASE WHEN x.gross_margin_score IS NULL THEN 0 ELSE x.gross_margin_weight END
                                + CASE WHEN x.fulfilment_score IS NULL THEN 0 ELSE x.fulfilment_weight END
                                + CASE WHEN x.return_rate_score IS NULL THEN 0 ELSE x.return_rate_weight END
                                + CASE WHEN x.stock_out_score IS NULL THEN 0 ELSE x.stock_out_weight END, 0), 2) AS score
            FROM scored AS x
        )
        SELECT t.merchant_id, t.shop_id, t.period_type, t.period_start, t.period_end, t.order_count, t.gmv_cny,
               t.gross_profit_cny, t.previous_gmv_cny, t.sales_growth, t.sales_growth_score, t.sales_growth_weight,
               t.gross_margin, t.gross_margin_score, t.gross_margin_weight, t.fulfilment_hours, t.fulfilment_score,
               t.fulfilment_weight, t.return_rate, t.return_rate_score, t.return_rate_weight, t.stock_out_rate,
               t.stock_out_score, t.stock_out_weight, t.config_id, t.score,
               rank() OVER (PARTITION BY t.merchant_id, t.period_type, t.period_start ORDER BY t.gmv_cny DESC),
               rank() OVER (PARTITION BY t.merchant_id, t.period_type, t.period_start ORDER BY t.gross_profit_cny DESC),
               CASE WHEN t.score IS NOT NULL THEN
                   rank() OVER (PARTITION BY t.merchant_id, t.period_type, t.period_start ORDER BY t.score DESC NULLS LAST)
               END,
               t.previous_start, t.previous_end, t.previous_through
        FROM totals AS t;

        -- Products by revenue and units within their category, over all shops.
        DELETE FROM mart.product_rankings AS r WHERE merchant_ids IS NULL OR r.merchant_id = ANY (merchant_ids);
        INSERT INTO mart.product_rankings (merchant_id, period_type, period_start, period_end, product_id, category_id,
                                           units_sold, revenue_cny, revenue_rank, units_rank)
        SELECT a.merchant_id, a.period_type, a.period_start, a.period_end, a.product_id, a.category_id, a.units_sold, a.revenue_cny,
               rank() OVER (PARTITION BY a.merchant_id, a.period_type, a.period_start, a.category_id ORDER BY a.revenue_cny DESC),
               rank() OVER (PARTITION BY a.merchant_id, a.period_type, a.period_start, a.category_id ORDER BY a.units_sold DESC)
        FROM (
            SELECT d.merchant_id, p.period_type, p.period_start, (p.period_start + p.step - interval '1 day')::date AS period_end,
                   d.product_id, d.category_id, sum(d.units_sold)::bigint AS units_sold, sum(d.revenue_cny) AS revenue_cny
            FROM mart.mv_product_sales_daily AS d
            CROSS JOIN LATERAL (VALUES ('day', d.sales_date, interval '1 day'),
                                       ('week', pg_catalog.date_trunc('week', d.sales_date)::date, interval '1 week'),
                                       ('month', pg_catalog.date_trunc('month', d.sales_date)::date, interval '1 month'))
                AS p(period_type, period_start, step)
            WHERE d.sales_date BETWEEN first_month AND CURRENT_DATE
              AND (merchant_ids IS NULL OR d.merchant_id = ANY (merchant_ids))
              AND p.period_start >= CASE p.period_type WHEN 'day' THEN first_day WHEN 'week' THEN first_week ELSE first_month END
            GROUP BY d.merchant_id, p.period_type, p.period_start, p.step, d.product_id, d.category_id
        ) AS a;

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

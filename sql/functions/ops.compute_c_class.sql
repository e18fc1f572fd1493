-- ops.compute_c_class: the one computation of the C-class results (mart.target_achievement,
-- mart.campaign_results, mart.shop_health with the shop rankings, mart.product_rankings), behind
-- ops.recompute_c_class (everything, or some merchants in full) and ops.recompute_changed_c_class
-- (after a due refresh: only the periods whose facts changed; docs/c-class-recompute.md).
-- requires: mart.target_achievement, dw.cfg_sales_targets (0012, 0008), mart.campaign_results,
--           dw.cfg_sales_campaigns (0019, 0008), mart.shop_health, mart.product_rankings,
--           dw.cfg_performance_configs (0020, 0008), ops.c_class_changes, ops.c_class_state (0038),
--           dw.fact_sales_orders, dw.fact_product_metrics, dw.dim_merchants,
--           mart.mv_daily_sales, mart.mv_customer_segments, mart.mv_product_sales_daily,
--           mart.mv_hourly_sales (sql/views), ops.shop_health_defaults, ops.health_component_score,
--           ops.c_class_first_period, ops.c_class_periods, ops.c_class_spans, dw.is_valid_sale, ops.relation_lock_holders,
--           mart.day_cut, mart.minutes_counted, 0078 (mart.shop_health.previous_*)
-- Which periods: merchant_ids given = every period of those merchants (a config change); NULL and
-- not changed_only = every period of every merchant; NULL and changed_only = the periods
-- (ops.c_class_periods) of the ranges in ops.c_class_changes, or every period when the last full
-- recompute was on another day (the windows end on CURRENT_DATE) or a range names every merchant.
-- Targets and campaigns (one row per config row, index lookups) are always recomputed whole.
-- The periods that include today are recomputed by every run: their sales growth compares with today's
-- counterpart cut at this run's time of day (now(), mart.day_cut), which the rows store (previous_through).
-- A run for every merchant consumes the ranges it saw. Each run is logged in ops.mv_refresh_log as
-- view_name 'ops.compute_c_class' (a step of the refresh runs, not a view one may refresh by name);
-- a failure is logged there, never raised, so a config write or a refresh run is not undone by it.
-- A lock it could not get within the caller's lock_timeout is logged skipped (docs/refresh-watchdog.md).

CREATE OR REPLACE FUNCTION ops.compute_c_class(refresh_trigger text, merchant_ids bigint[], changed_only boolean)
RETURNS ops.mv_refresh_log
LANGUAGE plpgsql
SECURITY DEFINER
-- The bounds below are plan-time constants only in custom plans (partition pruning, index ranges);
-- JIT compiling these one-off statements would cost more than running them.
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_custom_plan
SET jit = off
AS $$
DECLARE
    started           timestamptz := pg_catalog.clock_timestamp();
    computed          bigint := 0;
    error_text        text;
    error_state       text;
    logged            ops.mv_refresh_log;
    full_pass         boolean := true;
    change_ids        bigint[];
    every_merchant    boolean;
    computed_for      date;
    -- The (merchant, first day, last day) ranges whose periods are recomputed.
    changed_merchants bigint[];
    changed_first     date[];
    changed_last      date[];
    -- The first and last day read from the facts and mart.mv_product_sales_daily (read_first), and
    -- from mart.mv_daily_sales (base_first: also the periods before, for sales growth).
    read_first        date;
    read_last         date;
    base_first        date;
    period            record;
    -- The instant whose time of day cuts today's counterpart in the comparisons (docs/metrics.md): this run's.
    cut_at            timestamptz := pg_catalog.now();
BEGIN
    -- While migrate re-creates the views (they are dropped for the length of its transaction),
    -- there is nothing to compute from; the next due refresh does it.
    IF pg_catalog.to_regclass('mart.mv_daily_sales') IS NULL OR pg_catalog.to_regclass('mart.mv_customer_segments') IS NULL
       OR pg_catalog.to_regclass('mart.mv_product_sales_daily') IS NULL OR pg_catalog.to_regclass('mart.mv_hourly_sales') IS NULL THEN
        RETURN NULL;
    END IF;

    BEGIN
        -- One run at a time: two runs deleting and inserting the same rows would collide. The lock
        -- is the one row of ops.c_class_state, waited for and held until the transaction ends: only
        -- its owner may lock it (an advisory key, which any login may take and keep, could hang the
        -- due run). The first run ever creates the row ('-infinity': never computed in full).
        PERFORM 1 FROM ops.c_class_state AS s FOR UPDATE;
        IF NOT FOUND THEN
            INSERT INTO ops.c_class_state AS s (computed_for) VALUES ('-infinity')
            ON CONFLICT ON CONSTRAINT c_class_state_pkey DO NOTHING;
            PERFORM 1 FROM ops.c_class_state AS s FOR UPDATE;
        END IF;
        IF merchant_ids IS NULL THEN
            SELECT pg_catalog.array_agg(c.change_id), pg_catalog.bool_or(c.merchant_id IS NULL)
            INTO change_ids, every_merchant
            FROM ops.c_class_changes AS c;
            SELECT s.computed_for INTO computed_for FROM ops.c_class_state AS s;
            full_pass := NOT changed_only OR computed_for IS DISTINCT FROM CURRENT_DATE OR coalesce(every_merchant, false);
        END IF;
        IF full_pass THEN
            SELECT pg_catalog.array_agg(m.merchant_id), pg_catalog.array_agg('-infinity'::date), pg_catalog.array_agg('infinity'::date)
            INTO changed_merchants, changed_first, changed_last
            FROM dw.dim_merchants AS m
            WHERE merchant_ids IS NULL OR m.merchant_id = ANY (merchant_ids);
        ELSE
            -- The changed ranges, and today for every merchant: the periods that include today are cut at
            -- this run's time of day, so each run rewrites them (all of a merchant's share one cut).
            SELECT pg_catalog.array_agg(r.merchant_id), pg_catalog.array_agg(r.first_day), pg_catalog.array_agg(r.last_day)
            INTO changed_merchants, changed_first, changed_last
            FROM (SELECT c.merchant_id, c.first_day, c.last_day
                  FROM ops.c_class_changes AS c
                  WHERE c.change_id = ANY (change_ids)
                  UNION ALL
                  SELECT m.merchant_id, CURRENT_DATE, CURRENT_DATE
                  FROM dw.dim_merchants AS m) AS r;
        END IF;

        SELECT pg_catalog.min(s.first_day), pg_catalog.max(s.last_day) INTO read_first, read_last
        FROM ops.c_class_spans(changed_merchants, changed_first, changed_last, CURRENT_DATE, false) AS s;
        SELECT pg_catalog.min(s.first_day) INTO base_first
        FROM ops.c_class_spans(changed_merchants, changed_first, changed_last, CURRENT_DATE, true) AS s;

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
        -- The share of the period's time gone by at this run, in the merchant's time zone: today counts
        -- only its hours so far, so a target is not 'behind' at 09:00 for want of a whole day's sales
        -- (docs/metrics.md, "Targets").
        CROSS JOIN LATERAL (
            SELECT pg_catalog.round(LEAST(1, GREATEST(0,
                       EXTRACT(EPOCH FROM (now() AT TIME ZONE coalesce(
                           (SELECT m.timezone FROM dw.dim_merchants AS m WHERE m.merchant_id = t.merchant_id),
                           pg_catalog.current_setting('TimeZone'))) - t.period_start::timestamp)
                       / 86400 / (t.period_end - t.period_start + 1))), 6) AS elapsed_share
        ) AS e
        -- The day-grain sums of the target's period and scope, read once; the metric picks one.
        CROSS JOIN LATERAL (
            SELECT sum(d.gmv_cny) AS gmv_cny, sum(d.order_count) AS orders, sum(d.item_count) AS units,
                   sum(d.gross_profit_cny) AS gross_profit_cny, sum(d.net_profit_cny) AS net_profit_cny
            FROM mart.mv_daily_sales AS d
            WHERE d.merchant_id = t.merchant_id AND (t.shop_id IS NULL OR d.shop_id = t.shop_id)
              AND d.sales_date BETWEEN t.period_start AND t.period_end
        ) AS ds
        CROSS JOIN LATERAL (
            SELECT coalesce(CASE t.metric
                       WHEN 'gmv_cny' THEN ds.gmv_cny
                       WHEN 'orders' THEN ds.orders
                       WHEN 'units' THEN ds.units
                       WHEN 'gross_profit_cny' THEN ds.gross_profit_cny
                       WHEN 'net_profit_cny' THEN ds.net_profit_cny
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

        -- Shop health and the shop rankings (docs/business-flows.md, Shop health score), for the
        -- periods of ops.c_class_periods only. Orders, GMV and gross profit per shop and day come
        -- from mart.mv_daily_sales (also for the period before, for sales growth); returns and
        -- fulfilment, which no aggregate holds, from the orders of the periods' own days; listings
        -- from product metrics. Every read is bounded by ops.c_class_spans (index ranges).
        IF full_pass THEN
            DELETE FROM mart.shop_health AS h WHERE merchant_ids IS NULL OR h.merchant_id = ANY (merchant_ids);
        ELSE
            -- One DELETE per run of periods, planned with its dates: an index range each. Joined
            -- to the runs in one statement, the planner guessed the ranges' rows and scanned the table.
            FOR period IN SELECT * FROM ops.c_class_periods(changed_merchants, changed_first, changed_last, CURRENT_DATE) LOOP
                DELETE FROM mart.shop_health AS h
                WHERE h.merchant_id = period.merchant_id AND h.period_type = period.period_type
                  AND h.period_start BETWEEN period.first_start AND period.last_start;
            END LOOP;
        END IF;
        INSERT INTO mart.shop_health (merchant_id, shop_id, period_type, period_start, period_end, order_count, gmv_cny,
                                      gross_profit_cny, previous_gmv_cny, sales_growth, sales_growth_score, sales_growth_weight,
                                      gross_margin, gross_margin_score, gross_margin_weight, fulfilment_hours, fulfilment_score,
                                      fulfilment_weight, return_rate, return_rate_score, return_rate_weight, stock_out_rate,
                                      stock_out_score, stock_out_weight, config_id, score, revenue_rank, profit_rank, health_rank,
                                      previous_start, previous_end, previous_through)
        WITH sales_days AS (
            -- One row per merchant, shop and day with any order (cancelled ones included).
            SELECT d.merchant_id, d.shop_id, d.sales_date AS day, d.order_count, d.gmv_cny, d.gross_profit_cny
            FROM ops.c_class_spans(changed_merchants, changed_first, changed_last, CURRENT_DATE, true) AS s
            JOIN mart.mv_daily_sales AS d ON d.merchant_id = s.merchant_id AND d.sales_date BETWEEN s.first_day AND s.last_day
            WHERE d.sales_date BETWEEN base_first AND read_last
        ), order_days AS (
            SELECT o.merchant_id, o.shop_id, o.order_date AS day,
                   -- Returned: not a sale and not cancelled (refunded or returned).
                   count(*) FILTER (WHERE NOT dw.is_valid_sale(o.status) AND o.status <> 'cancelled') AS returned_orders,
                   count(*) FILTER (WHERE o.status <> 'cancelled') AS kept_orders,
                   count(o.shipped_at) AS shipped_orders,
                   coalesce(sum(EXTRACT(epoch FROM o.shipped_at - o.ordered_at)), 0) AS ship_seconds
            FROM ops.c_class_spans(changed_merchants, changed_first, changed_last, CURRENT_DATE, false) AS s
            JOIN dw.fact_sales_orders AS o ON o.merchant_id = s.merchant_id AND o.order_date BETWEEN s.first_day AND s.last_day
            WHERE o.order_date BETWEEN read_first AND read_last
            GROUP BY o.merchant_id, o.shop_id, o.order_date
        ), listing_days AS (
            SELECT m.merchant_id, m.shop_id, m.metric_date AS day, count(*) AS listings,
                   count(*) FILTER (WHERE m.stock = 0 OR m.listing_status = 'out_of_stock') AS out_of_stock
            FROM ops.c_class_spans(changed_merchants, changed_first, changed_last, CURRENT_DATE, false) AS s
            JOIN dw.fact_product_metrics AS m ON m.merchant_id = s.merchant_id AND m.metric_date BETWEEN s.first_day AND s.last_day
            WHERE m.listing_status IN ('active', 'out_of_stock') AND m.metric_date BETWEEN read_first AND read_last
            GROUP BY m.merchant_id, m.shop_id, m.metric_date
        ), days AS (
            SELECT u.merchant_id, u.shop_id, u.day, sum(u.order_count) AS order_count, sum(u.gmv_cny) AS gmv_cny,
                   sum(u.gross_profit_cny) AS gross_profit_cny, sum(u.returned_orders) AS returned_orders,
                   sum(u.kept_orders) AS kept_orders, sum(u.shipped_orders) AS shipped_orders,
                   sum(u.ship_seconds) AS ship_seconds, sum(u.listings) AS listings, sum(u.out_of_stock) AS out_of_stock
            FROM (SELECT d.merchant_id, d.shop_id, d.day, d.order_count, d.gmv_cny, d.gross_profit_cny, 0 AS returned_orders,
                         0 AS kept_orders, 0 AS shipped_orders, 0 AS ship_seconds, 0 AS listings, 0 AS out_of_stock
                  FROM sales_days AS d
                  UNION ALL
                  SELECT o.merchant_id, o.shop_id, o.day, 0, 0, 0, o.returned_orders, o.kept_orders, o.shipped_orders,
                         o.ship_seconds, 0, 0
                  FROM order_days AS o
                  UNION ALL
                  SELECT l.merchant_id, l.shop_id, l.day, 0, 0, 0, 0, 0, 0, 0, l.listings, l.out_of_stock
                  FROM listing_days AS l) AS u
            GROUP BY u.merchant_id, u.shop_id, u.day
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
        ), running AS (
            -- The periods that include today are compared with the same days of the period before
            -- (this month to date against last month to the same day), not with its whole: 3 days
            -- of December against all of November scored every shop's growth at -90%. The last of
            -- those days, today's counterpart, counts only up to now's time of day (cut_at): the
            -- whole of yesterday against today so far read near -100% early in the day.
            SELECT p.period_type, p.first_day, p.last_day
            FROM (VALUES ('day', CURRENT_DATE - 1, CURRENT_DATE - 1),
                         ('week', pg_catalog.date_trunc('week', CURRENT_DATE)::date - 7, CURRENT_DATE - 7),
                         ('month', (pg_catalog.date_trunc('month', CURRENT_DATE) - interval '1 month')::date,
                                   (CURRENT_DATE - interval '1 month')::date))
                AS p(period_type, first_day, last_day)
        ), cuts AS (
            -- How far today has run in each merchant's zone at cut_at (mart.day_cut, as sales_totals.sql cuts it).
            SELECT m.merchant_id, mart.day_cut(m.timezone, CURRENT_DATE, cut_at) AS through
            FROM dw.dim_merchants AS m
            WHERE m.merchant_id = ANY (changed_merchants)
        ), running_previous AS (
            SELECT x.merchant_id, x.shop_id, x.period_type, sum(x.gmv_cny) AS gmv_cny
            FROM (SELECT d.merchant_id, d.shop_id, p.period_type, d.gmv_cny
                  FROM days AS d
                  JOIN running AS p ON d.day >= p.first_day AND d.day < p.last_day
                  UNION ALL
                  -- The last day by hour: its hours before the cut's whole, the cut's hour by its minutes.
                  SELECT h.merchant_id, h.shop_id, p.period_type,
                         pg_catalog.round(sum(h.gmv_cny * mart.minutes_counted(h.sales_hour, u.through)) / 60, 2)
                  FROM running AS p
                  CROSS JOIN cuts AS u
                  JOIN mart.mv_hourly_sales AS h ON h.merchant_id = u.merchant_id AND h.sales_date = p.last_day
                  GROUP BY h.merchant_id, h.shop_id, p.period_type) AS x
            GROUP BY x.merchant_id, x.shop_id, x.period_type
        ), raw AS (
            SELECT c.merchant_id, c.shop_id, c.period_type, c.period_start, e.period_end, c.order_count, c.gmv_cny,
                   c.gross_profit_cny, coalesce(b.gmv_cny, 0) AS previous_gmv_cny,
                   CASE WHEN b.gmv_cny > 0 THEN pg_catalog.round((c.gmv_cny - b.gmv_cny) / b.gmv_cny, 6) END AS sales_growth,
                   CASE WHEN c.gmv_cny > 0 THEN pg_catalog.round(c.gross_profit_cny / c.gmv_cny, 6) END AS gross_margin,
                   CASE WHEN c.shipped_orders > 0 THEN pg_catalog.round(c.ship_seconds / 3600 / c.shipped_orders, 2) END AS fulfilment_hours,
                   CASE WHEN c.kept_orders > 0 THEN pg_catalog.round(c.returned_orders::numeric / c.kept_orders, 6) END AS return_rate,
                   CASE WHEN c.listings > 0 THEN pg_catalog.round(c.out_of_stock::numeric / c.listings, 6) END AS stock_out_rate,
                   g.config_id, coalesce(q.first_day, (c.period_start - c.step)::date) AS previous_start,
                   coalesce(q.last_day, c.period_start - 1) AS previous_end, q.last_day + u.through AS previous_through,
                   (ops.shop_health_defaults() -> 'weights') || coalesce(g.weights, '{}') AS weights,
                   (ops.shop_health_defaults() -> 'thresholds') || coalesce(g.thresholds, '{}') AS thresholds
            FROM periods AS c
            -- Only the periods asked for: those of the days before them (read for their GMV) and
            -- partial ones at the edges of the spans are left out.
            JOIN ops.c_class_periods(changed_merchants, changed_first, changed_last, CURRENT_DATE) AS k
                ON k.merchant_id = c.merchant_id AND k.period_type = c.period_type AND c.period_start BETWEEN k.first_start AND k.last_start
            CROSS JOIN LATERAL (SELECT (c.period_start + c.step - interval '1 day')::date AS period_end) AS e
            LEFT JOIN periods AS w
                ON w.merchant_id = c.merchant_id AND w.shop_id = c.shop_id AND w.period_type = c.period_type
               AND w.period_start = (c.period_start - c.step)::date
            LEFT JOIN running_previous AS r
                ON r.merchant_id = c.merchant_id AND r.shop_id = c.shop_id AND r.period_type = c.period_type
            -- The period before: its same days, the last cut, while this one includes today; else its whole.
            LEFT JOIN running AS q ON q.period_type = c.period_type AND e.period_end >= CURRENT_DATE
            LEFT JOIN cuts AS u ON u.merchant_id = c.merchant_id AND q.period_type IS NOT NULL
            CROSS JOIN LATERAL (SELECT CASE WHEN q.period_type IS NOT NULL THEN r.gmv_cny ELSE w.gmv_cny END AS gmv_cny) AS b
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
        IF full_pass THEN
            DELETE FROM mart.product_rankings AS r WHERE merchant_ids IS NULL OR r.merchant_id = ANY (merchant_ids);
        ELSE
            -- One DELETE per run of periods, planned with its dates: an index range each. Joined
            -- to the runs in one statement, the planner guessed the ranges' rows and scanned the table.
            FOR period IN SELECT * FROM ops.c_class_periods(changed_merchants, changed_first, changed_last, CURRENT_DATE) LOOP
                DELETE FROM mart.product_rankings AS r
                WHERE r.merchant_id = period.merchant_id AND r.period_type = period.period_type
                  AND r.period_start BETWEEN period.first_start AND period.last_start;
            END LOOP;
        END IF;
        IF full_pass THEN
            -- Every period of the windows: one window filter (ops.c_class_first_period) over the
            -- merchants' rows (the same periods as ops.c_class_periods gives for -infinity..infinity,
            -- without joining each day's rows to them; that join made the full pass 1.5x slower).
            -- read_first is the first day of the month window here, read_last today.
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
                WHERE d.sales_date BETWEEN read_first AND read_last
                  AND (merchant_ids IS NULL OR d.merchant_id = ANY (merchant_ids))
                  AND p.period_start >= ops.c_class_first_period(p.period_type, CURRENT_DATE)
                GROUP BY d.merchant_id, p.period_type, p.period_start, p.step, d.product_id, d.category_id
            ) AS a;
        ELSE
            INSERT INTO mart.product_rankings (merchant_id, period_type, period_start, period_end, product_id, category_id,
                                               units_sold, revenue_cny, revenue_rank, units_rank)
            WITH sold AS MATERIALIZED (
                -- The days read, each row once (the spans are disjoint). Materialized, so that the
                -- periods below filter these rows rather than drive a scan of them per period type.
                SELECT d.merchant_id, d.sales_date, d.product_id, d.category_id, d.units_sold, d.revenue_cny
                FROM ops.c_class_spans(changed_merchants, changed_first, changed_last, CURRENT_DATE, false) AS s
                JOIN mart.mv_product_sales_daily AS d
                    ON d.merchant_id = s.merchant_id AND d.sales_date BETWEEN s.first_day AND s.last_day
                WHERE d.sales_date BETWEEN read_first AND read_last
            )
            SELECT a.merchant_id, a.period_type, a.period_start, a.period_end, a.product_id, a.category_id, a.units_sold, a.revenue_cny,
                   rank() OVER (PARTITION BY a.merchant_id, a.period_type, a.period_start, a.category_id ORDER BY a.revenue_cny DESC),
                   rank() OVER (PARTITION BY a.merchant_id, a.period_type, a.period_start, a.category_id ORDER BY a.units_sold DESC)
            FROM (
                SELECT d.merchant_id, p.period_type, p.period_start, (p.period_start + p.step - interval '1 day')::date AS period_end,
                       d.product_id, d.category_id, sum(d.units_sold)::bigint AS units_sold, sum(d.revenue_cny) AS revenue_cny
                FROM sold AS d
                CROSS JOIN LATERAL (VALUES ('day', d.sales_date, interval '1 day'),
                                           ('week', pg_catalog.date_trunc('week', d.sales_date)::date, interval '1 week'),
                                           ('month', pg_catalog.date_trunc('month', d.sales_date)::date, interval '1 month'))
                    AS p(period_type, period_start, step)
                JOIN ops.c_class_periods(changed_merchants, changed_first, changed_last, CURRENT_DATE) AS k
                    ON k.merchant_id = d.merchant_id AND k.period_type = p.period_type AND p.period_start BETWEEN k.first_start AND k.last_start
                GROUP BY d.merchant_id, p.period_type, p.period_start, p.step, d.product_id, d.category_id
            ) AS a;
        END IF;

        IF merchant_ids IS NULL THEN
            DELETE FROM ops.c_class_changes AS c WHERE c.change_id = ANY (change_ids);
            IF full_pass THEN
                INSERT INTO ops.c_class_state AS s (computed_for) VALUES (CURRENT_DATE)
                ON CONFLICT ON CONSTRAINT c_class_state_pkey
                DO UPDATE SET computed_for = EXCLUDED.computed_for, computed_at = pg_catalog.now();
            END IF;
        END IF;

        INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, row_count, status, refresh_trigger,
                                        refresh_mode)
        VALUES ('ops.compute_c_class', started, pg_catalog.clock_timestamp(),
                pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - started) * 1000)::numeric, 3),
                computed, 'succeeded', refresh_trigger, CASE WHEN full_pass THEN 'full' ELSE 'incremental' END)
        RETURNING * INTO logged;
    EXCEPTION
        WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS error_text = MESSAGE_TEXT, error_state = RETURNED_SQLSTATE;
            -- A lock not free within the caller's lock_timeout (a scheduled run's,
            -- ops.scheduled_lock_timeout; a config trigger's transaction has none): skipped. The
            -- changed ranges were not consumed, so the next run computes them.
            IF error_state = '55P03' THEN
                SELECT pg_catalog.format('skipped: a lock it needs was not free within %s (this run''s lock timeout), held by %s; the changed periods wait for the next run (%s)',
                                         pg_catalog.current_setting('lock_timeout'),
                                         coalesce(pg_catalog.string_agg(h.description, '; '), 'another transaction'), error_text)
                INTO error_text
                FROM ops.relation_lock_holders('{ops.c_class_state,mart.target_achievement,mart.campaign_results,mart.shop_health,mart.product_rankings,
                                                 dw.cfg_sales_targets,dw.cfg_sales_campaigns,dw.cfg_performance_configs,dw.fact_sales_orders,
                                                 dw.fact_product_metrics,dw.dim_merchants,mart.mv_daily_sales,mart.mv_customer_segments,
                                                 mart.mv_product_sales_daily,mart.mv_hourly_sales}',
                                               '{RowShareLock,ShareLock,ShareRowExclusiveLock,ExclusiveLock,AccessExclusiveLock}') AS h;
            END IF;
            INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, status, error_message,
                                            error_sqlstate, refresh_trigger)
            VALUES ('ops.compute_c_class', started, pg_catalog.clock_timestamp(),
                    pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - started) * 1000)::numeric, 3),
                    CASE WHEN error_state = '55P03' THEN 'skipped' ELSE 'failed' END, error_text, error_state, refresh_trigger)
            RETURNING * INTO logged;
    END;
    RETURN logged;
END
$$;

COMMENT ON FUNCTION ops.compute_c_class(text, bigint[], boolean) IS
    'The C-class computation behind ops.recompute_c_class and ops.recompute_changed_c_class: targets and campaigns whole; shop health and rankings and product rankings for every period of merchant_ids (NULL: all), or with changed_only only the periods of the ranges in ops.c_class_changes (everything on a new day), and always the periods that include today, their sales growth cut at the run''s time of day (previous_through). Logs in ops.mv_refresh_log (refresh_mode full or incremental); a failure is logged, not raised.';
REVOKE EXECUTE ON FUNCTION ops.compute_c_class(text, bigint[], boolean) FROM PUBLIC;

-- ops.refresh_customer_segments: the work of ops.refresh_aggregate for mart.mv_customer_segments,
-- the per-customer aggregate (bucket width customer; docs/refresh.md, "Per-customer aggregates").
-- requires: ops.mv_registry, ops.agg_invalidations (0027_incremental_aggregates),
--           ops.customer_invalidations (0034, 0040), ops.mv_registry.as_of_date (0035, 0036),
--           dw.customer_segment, dw.dim_customers, dw.dim_user_levels, ops.lock_view_refresh
-- Runs inside ops.refresh_view's transaction (its per-view lock, log row and error handling), so
-- readers see every customer before or after, never a mix. It works from the log entries of the
-- transactions the given snapshot saw (taken before anything is read): a write in flight keeps its
-- entries for the next refresh. A customer whose entries are all inserted orders (migration 0040)
-- gets them added to their row; any other is recomputed from the orders, and that statement
-- consumes every entry of the customer it can see (it read their orders: appending one of them
-- later would count it twice). The full rebuild consumes the entries in its own statement for the
-- same reason. The table is only read here by name: plpgsql plans it at run time, after migrate
-- has created it.

CREATE OR REPLACE FUNCTION ops.refresh_customer_segments(
    full_rebuild boolean,
    covered pg_catalog.pg_snapshot,
    OUT row_count bigint,
    OUT refresh_mode text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    self        constant text := 'mart.mv_customer_segments';
    cohorts     constant text := 'mart.mv_customer_cohorts';
    add_to_cohorts boolean;
    reg         ops.mv_registry;
    today       date := CURRENT_DATE;
    dependants  text[];
    merchants   bigint[];
    customers   bigint[];
    deleted     bigint := 0;
    inserted    bigint := 0;
    recomputed  bigint := 0;
BEGIN
    SELECT * INTO STRICT reg FROM ops.mv_registry AS r WHERE r.view_name = self;
    -- The lock its DELETE and INSERT take anyway, taken first (as ops.refresh_aggregate does).
    LOCK TABLE mart.mv_customer_segments IN ROW EXCLUSIVE MODE;
    SELECT coalesce(pg_catalog.array_agg(r.view_name ORDER BY r.view_name), '{}') INTO dependants
    FROM ops.mv_registry AS r
    WHERE r.view_kind = 'incremental' AND self = ANY (r.depends_on);

    -- Everything when asked, on a first refresh, or when an entry names every customer (a
    -- TRUNCATE of the orders, a changed user level).
    IF NOT full_rebuild THEN
        full_rebuild := reg.last_success_at IS NULL OR reg.as_of_date IS NULL OR EXISTS (
            SELECT 1 FROM ops.customer_invalidations AS i
            WHERE i.view_name = self AND pg_catalog.pg_visible_in_snapshot(i.xid, covered) AND i.customer_id IS NULL);
    END IF;

    IF full_rebuild THEN
        refresh_mode := 'full';
        -- DELETE, not TRUNCATE: readers keep reading the old rows until this transaction commits.
        DELETE FROM mart.mv_customer_segments;
        -- The fill and the log entries it consumes in one statement, so one snapshot: every entry
        -- whose orders the fill read goes (an inserted order appended again would count twice),
        -- and those of transactions it did not see stay.
        WITH filled AS (
            INSERT INTO mart.mv_customer_segments
            SELECT * FROM mart.mv_customer_segments_rows(NULL, NULL, today)
            RETURNING 1
        ),
        consumed AS (
            DELETE FROM ops.customer_invalidations AS i WHERE i.view_name = self
        )
        SELECT pg_catalog.count(*) INTO row_count FROM filled;
        INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
        SELECT d.view_name, NULL, '-infinity', 'infinity', self FROM pg_catalog.unnest(dependants) AS d (view_name);
    ELSE
        refresh_mode := 'incremental';
        -- A new day: the segments move (churned after 90 days, new for 30); only rows whose
        -- segment changes are written.
        IF reg.as_of_date IS DISTINCT FROM today THEN
            UPDATE mart.mv_customer_segments AS s
            SET segment = dw.customer_segment(s.first_order_date, s.last_order_date, s.order_count, s.is_vip, today)
            WHERE s.segment IS DISTINCT FROM dw.customer_segment(s.first_order_date, s.last_order_date, s.order_count, s.is_vip, today);
        END IF;

        -- The cohorts (built on this table) are added to in this transaction, when their refresh
        -- is not running: its per-view lock (ops.refresh_view's, ops.lock_view_refresh), held until
        -- this commits.
        add_to_cohorts := false;
        IF cohorts = ANY (dependants) THEN
            add_to_cohorts := ops.lock_view_refresh(cohorts);
        END IF;

        -- 1. Appends. A customer whose entries the snapshot saw are all inserted orders, none dated
        -- before their first order, gets them added to their history row (or a new row: no row
        -- means no valid order before): counts, spend, last order, and the revenue of the new
        -- orders inside the 30/90/365-day windows after the first order. No order is read. The
        -- entries added are consumed in the same statement. A cohort month changes only where a
        -- customer is new or a new order falls inside their 365-day window: its row gains the
        -- same amounts here, or the month is re-summed by the cohorts' refresh.
        WITH seen AS (
            SELECT i.merchant_id, i.customer_id, i.order_date, i.order_count, i.gmv_cny
            FROM ops.customer_invalidations AS i
            WHERE i.view_name = self AND pg_catalog.pg_visible_in_snapshot(i.xid, covered)
        ),
        appendable AS (
            SELECT e.merchant_id, e.customer_id, pg_catalog.min(e.order_date) AS first_new
            FROM seen AS e
            GROUP BY e.merchant_id, e.customer_id
            HAVING pg_catalog.bool_and(e.order_count IS NOT NULL)
        ),
        added AS (
            SELECT a.merchant_id, a.customer_id, s.merchant_id IS NULL AS is_new,
                   coalesce(s.first_order_date, a.first_new) AS first_order_date,
                   GREATEST(s.last_order_date, pg_catalog.max(e.order_date)) AS last_order_date,
                   coalesce(s.order_count, 0) + pg_catalog.sum(e.order_count)::bigint AS order_count,
                   coalesce(s.total_spend_cny, 0) + pg_catalog.sum(e.gmv_cny) AS total_spend_cny,
                   coalesce(s.revenue_30d_cny, 0) AS old_30d, coalesce(s.revenue_90d_cny, 0) AS old_90d, coalesce(s.revenue_365d_cny, 0) AS old_365d,
                   coalesce(pg_catalog.sum(e.gmv_cny) FILTER (WHERE e.order_date < coalesce(s.first_order_date, a.first_new) + 30), 0) AS add_30d,
                   coalesce(pg_catalog.sum(e.gmv_cny) FILTER (WHERE e.order_date < coalesce(s.first_order_date, a.first_new) + 90), 0) AS add_90d,
                   coalesce(pg_catalog.sum(e.gmv_cny) FILTER (WHERE e.order_date < coalesce(s.first_order_date, a.first_new) + 365), 0) AS add_365d,
                   pg_catalog.bool_or(e.order_date < coalesce(s.first_order_date, a.first_new) + 365) AS in_window
            FROM appendable AS a
            JOIN seen AS e ON e.merchant_id = a.merchant_id AND e.customer_id = a.customer_id
            LEFT JOIN mart.mv_customer_segments AS s ON s.merchant_id = a.merchant_id AND s.customer_id = a.customer_id
            WHERE s.merchant_id IS NULL OR a.first_new >= s.first_order_date
            GROUP BY a.merchant_id, a.customer_id, s.merchant_id, s.first_order_date, s.last_order_date, s.order_count,
                     s.total_spend_cny, s.revenue_30d_cny, s.revenue_90d_cny, s.revenue_365d_cny, a.first_new
        ),
        vip AS (
            SELECT coalesce((SELECT l.min_spend_cny FROM dw.dim_user_levels AS l WHERE l.level_code = 'platinum'), 5000) AS min_spend_cny
        ),
        written AS (
            INSERT INTO mart.mv_customer_segments AS s
                (merchant_id, customer_id, customer_code, user_level_id, region_id, channel_id, first_order_date, last_order_date,
                 order_count, total_spend_cny, aov_cny, is_vip, segment, revenue_30d_cny, revenue_90d_cny, revenue_365d_cny)
            SELECT n.merchant_id, n.customer_id, c.customer_code, c.user_level_id, c.region_id, c.channel_id,
                   n.first_order_date, n.last_order_date, n.order_count,
                   pg_catalog.round(n.total_spend_cny, 2), pg_catalog.round(n.total_spend_cny / n.order_count, 2),
                   n.total_spend_cny >= v.min_spend_cny,
                   dw.customer_segment(n.first_order_date, n.last_order_date, n.order_count, n.total_spend_cny >= v.min_spend_cny, today),
                   n.old_30d + n.add_30d, n.old_90d + n.add_90d, n.old_365d + n.add_365d
            FROM added AS n
            CROSS JOIN vip AS v
            JOIN dw.dim_customers AS c ON c.merchant_id = n.merchant_id AND c.customer_id = n.customer_id
            ON CONFLICT (merchant_id, customer_id) DO UPDATE
                SET last_order_date = EXCLUDED.last_order_date,
                    order_count = EXCLUDED.order_count,
                    total_spend_cny = EXCLUDED.total_spend_cny,
                    aov_cny = EXCLUDED.aov_cny,
                    is_vip = EXCLUDED.is_vip,
                    segment = EXCLUDED.segment,
                    revenue_30d_cny = EXCLUDED.revenue_30d_cny,
                    revenue_90d_cny = EXCLUDED.revenue_90d_cny,
                    revenue_365d_cny = EXCLUDED.revenue_365d_cny
            RETURNING 1
        ),
        consumed AS (
            DELETE FROM ops.customer_invalidations AS i
            USING added AS n
            WHERE i.view_name = self AND i.merchant_id = n.merchant_id AND i.customer_id = n.customer_id
              AND pg_catalog.pg_visible_in_snapshot(i.xid, covered)
        ),
        -- What the cohort months gain: customers (the new ones) and revenue inside the windows.
        gains AS (
            SELECT n.merchant_id, pg_catalog.date_trunc('month', n.first_order_date::timestamp)::date AS month_start,
                   pg_catalog.count(*) FILTER (WHERE n.is_new) AS customers,
                   pg_catalog.sum(n.add_30d) AS add_30d, pg_catalog.sum(n.add_90d) AS add_90d, pg_catalog.sum(n.add_365d) AS add_365d
            FROM added AS n
            WHERE n.is_new OR n.in_window
            GROUP BY n.merchant_id, pg_catalog.date_trunc('month', n.first_order_date::timestamp)::date
        ),
        -- Existing cohort rows take the gains here (sums of cents: exact, as a re-sum would be).
        cohorts_added AS (
            UPDATE mart.mv_customer_cohorts AS c
            SET customers = c.customers + g.customers,
                revenue_30d_cny = c.revenue_30d_cny + g.add_30d,
                revenue_90d_cny = c.revenue_90d_cny + g.add_90d,
                revenue_365d_cny = c.revenue_365d_cny + g.add_365d
            FROM gains AS g
            WHERE add_to_cohorts AND c.merchant_id = g.merchant_id AND c.cohort_month = g.month_start
        ),
        -- The other months (all of them when the cohorts are not added to here) are re-summed by
        -- the aggregates built on this one.
        logged AS (
            INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
            SELECT d.view_name, g.merchant_id, g.month_start, (g.month_start + interval '1 month')::date - 1, self
            FROM gains AS g
            CROSS JOIN pg_catalog.unnest(dependants) AS d (view_name)
            WHERE NOT (add_to_cohorts AND d.view_name = cohorts
                       AND EXISTS (SELECT 1 FROM mart.mv_customer_cohorts AS c WHERE c.merchant_id = g.merchant_id AND c.cohort_month = g.month_start))
        )
        SELECT pg_catalog.count(*) FILTER (WHERE n.is_new) INTO inserted FROM added AS n;

        -- 2. Recomputes: every other customer the snapshot saw an entry for (orders updated or
        -- deleted, an order before the first, a changed customer row) is read again from the
        -- orders. Rows are upserted and those without a valid order left deleted, in one statement
        -- that also consumes every entry of those customers it can see: the recompute read their
        -- orders, so none of them may be appended later.
        SELECT pg_catalog.array_agg(k.merchant_id ORDER BY k.merchant_id, k.customer_id),
               pg_catalog.array_agg(k.customer_id ORDER BY k.merchant_id, k.customer_id)
        INTO merchants, customers
        FROM (SELECT DISTINCT i.merchant_id, i.customer_id
              FROM ops.customer_invalidations AS i
              WHERE i.view_name = self AND pg_catalog.pg_visible_in_snapshot(i.xid, covered)) AS k;

        IF customers IS NOT NULL THEN
            WITH keys AS (
                SELECT k.merchant_id, k.customer_id
                FROM ROWS FROM (pg_catalog.unnest(merchants), pg_catalog.unnest(customers)) AS k (merchant_id, customer_id)
            ),
            old AS (
                SELECT s.merchant_id, s.customer_id, s.first_order_date
                FROM mart.mv_customer_segments AS s
                JOIN keys AS k ON k.merchant_id = s.merchant_id AND k.customer_id = s.customer_id
            ),
            fresh AS MATERIALIZED (
                SELECT * FROM mart.mv_customer_segments_rows(merchants, customers, today)
            ),
            written AS (
                INSERT INTO mart.mv_customer_segments AS s
                SELECT * FROM fresh
                ON CONFLICT (merchant_id, customer_id) DO UPDATE
                    SET customer_code = EXCLUDED.customer_code,
                        user_level_id = EXCLUDED.user_level_id,
                        region_id = EXCLUDED.region_id,
                        channel_id = EXCLUDED.channel_id,
                        first_order_date = EXCLUDED.first_order_date,
                        last_order_date = EXCLUDED.last_order_date,
                        order_count = EXCLUDED.order_count,
                        total_spend_cny = EXCLUDED.total_spend_cny,
                        aov_cny = EXCLUDED.aov_cny,
                        is_vip = EXCLUDED.is_vip,
                        segment = EXCLUDED.segment,
                        revenue_30d_cny = EXCLUDED.revenue_30d_cny,
                        revenue_90d_cny = EXCLUDED.revenue_90d_cny,
                        revenue_365d_cny = EXCLUDED.revenue_365d_cny
                RETURNING 1
            ),
            gone AS (
                DELETE FROM mart.mv_customer_segments AS s
                USING old AS o
                WHERE s.merchant_id = o.merchant_id AND s.customer_id = o.customer_id
                  AND NOT EXISTS (SELECT 1 FROM fresh AS f WHERE f.merchant_id = o.merchant_id AND f.customer_id = o.customer_id)
                RETURNING 1
            ),
            consumed AS (
                DELETE FROM ops.customer_invalidations AS i
                USING keys AS k
                WHERE i.view_name = self AND i.merchant_id = k.merchant_id AND i.customer_id = k.customer_id
            ),
            -- The cohort months those customers were in and are in now, for the aggregates built on this one.
            logged AS (
                INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
                SELECT d.view_name, m.merchant_id, m.month_start, (m.month_start + interval '1 month')::date - 1, self
                FROM (SELECT o.merchant_id, pg_catalog.date_trunc('month', o.first_order_date::timestamp)::date AS month_start FROM old AS o
                      UNION
                      SELECT f.merchant_id, pg_catalog.date_trunc('month', f.first_order_date::timestamp)::date FROM fresh AS f) AS m
                CROSS JOIN pg_catalog.unnest(dependants) AS d (view_name)
            )
            SELECT (SELECT pg_catalog.count(*) FROM fresh), (SELECT pg_catalog.count(*) FROM old)
            INTO recomputed, deleted;
            inserted := inserted + recomputed;
        END IF;

        IF reg.last_row_count IS NULL THEN
            SELECT pg_catalog.count(*) INTO row_count FROM mart.mv_customer_segments;
        ELSE
            row_count := reg.last_row_count + inserted - deleted;
        END IF;
    END IF;

    UPDATE ops.mv_registry AS r SET as_of_date = today WHERE r.view_name = self;
    DELETE FROM ops.customer_invalidations AS i
    WHERE i.view_name = self AND pg_catalog.pg_visible_in_snapshot(i.xid, covered);
    -- The day ranges the generic triggers log for every aggregate reading the orders: the
    -- customer entries above cover them.
    DELETE FROM ops.agg_invalidations AS i
    WHERE i.view_name = self AND pg_catalog.pg_visible_in_snapshot(i.xid, covered);
END
$$;

COMMENT ON FUNCTION ops.refresh_customer_segments(boolean, pg_catalog.pg_snapshot) IS
    'Recomputes mart.mv_customer_segments inside ops.refresh_view (through ops.refresh_aggregate): on a new day re-evaluates every segment (writing only the rows that change); adds the inserted orders logged in ops.customer_invalidations to the rows of customers with nothing else logged (no order read); recomputes from the orders the other customers the snapshot saw entries for; invalidates the cohort months that changed for the aggregates built on it; or rebuilds every row (full_rebuild, a first refresh, an entry for every customer). Consumes the entries it covered. Returns the row count and full or incremental.';
REVOKE EXECUTE ON FUNCTION ops.refresh_customer_segments(boolean, pg_catalog.pg_snapshot) FROM PUBLIC;

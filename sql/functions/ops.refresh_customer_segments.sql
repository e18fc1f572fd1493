-- ops.refresh_customer_segments: the work of ops.refresh_aggregate for mart.mv_customer_segments,
-- the per-customer aggregate (bucket width customer; docs/refresh.md, "Per-customer aggregates").
-- requires: ops.mv_registry, ops.agg_invalidations (0027_incremental_aggregates),
--           ops.customer_invalidations, ops.mv_registry.as_of_date (0035, 0036),
--           dw.customer_segment
-- Runs inside ops.refresh_view's transaction (its advisory lock, log row and error handling), so
-- readers see every customer before or after, never a mix. It consumes the log entries of the
-- transactions the given snapshot saw (taken before anything is read): a write in flight keeps its
-- entries for the next refresh. The table is only read here by name: plpgsql plans it at run time,
-- after migrate has created it.

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
    reg         ops.mv_registry;
    today       date := CURRENT_DATE;
    dependants  text[];
    merchants   bigint[];
    customers   bigint[];
    deleted     bigint := 0;
    inserted    bigint := 0;
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
        INSERT INTO mart.mv_customer_segments SELECT * FROM mart.mv_customer_segments_rows(NULL, NULL, today);
        GET DIAGNOSTICS row_count = ROW_COUNT;
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

        SELECT pg_catalog.array_agg(k.merchant_id ORDER BY k.merchant_id, k.customer_id),
               pg_catalog.array_agg(k.customer_id ORDER BY k.merchant_id, k.customer_id)
        INTO merchants, customers
        FROM (SELECT DISTINCT i.merchant_id, i.customer_id
              FROM ops.customer_invalidations AS i
              WHERE i.view_name = self AND pg_catalog.pg_visible_in_snapshot(i.xid, covered)) AS k;

        IF customers IS NOT NULL THEN
            -- The customers' rows go, and come back recomputed; the cohort months they were in
            -- and are in now are invalidated for the aggregates built on this one.
            WITH gone AS (
                DELETE FROM mart.mv_customer_segments AS s
                USING ROWS FROM (pg_catalog.unnest(merchants), pg_catalog.unnest(customers)) AS k (merchant_id, customer_id)
                WHERE s.merchant_id = k.merchant_id AND s.customer_id = k.customer_id
                RETURNING s.merchant_id, s.first_order_date
            ),
            logged AS (
                INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
                SELECT d.view_name, m.merchant_id, m.month_start, (m.month_start + interval '1 month')::date - 1, self
                FROM (SELECT DISTINCT g.merchant_id, pg_catalog.date_trunc('month', g.first_order_date::timestamp)::date AS month_start
                      FROM gone AS g) AS m
                CROSS JOIN pg_catalog.unnest(dependants) AS d (view_name)
            )
            SELECT pg_catalog.count(*) INTO deleted FROM gone;

            WITH added AS (
                INSERT INTO mart.mv_customer_segments
                SELECT * FROM mart.mv_customer_segments_rows(merchants, customers, today)
                RETURNING merchant_id, first_order_date
            ),
            logged AS (
                INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
                SELECT d.view_name, m.merchant_id, m.month_start, (m.month_start + interval '1 month')::date - 1, self
                FROM (SELECT DISTINCT a.merchant_id, pg_catalog.date_trunc('month', a.first_order_date::timestamp)::date AS month_start
                      FROM added AS a) AS m
                CROSS JOIN pg_catalog.unnest(dependants) AS d (view_name)
            )
            SELECT pg_catalog.count(*) INTO inserted FROM added;
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
    'Recomputes mart.mv_customer_segments inside ops.refresh_view (through ops.refresh_aggregate): on a new day re-evaluates every segment (writing only the rows that change), then DELETEs and re-INSERTs the customers named by the ops.customer_invalidations entries the snapshot saw, invalidating their old and new cohort months for the aggregates built on it; or every row (full_rebuild, a first refresh, an entry for every customer). Consumes the entries it covered. Returns the row count and full or incremental.';
REVOKE EXECUTE ON FUNCTION ops.refresh_customer_segments(boolean, pg_catalog.pg_snapshot) FROM PUBLIC;

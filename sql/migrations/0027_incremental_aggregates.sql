-- 0027_incremental_aggregates: what lets the day-grain aggregates (and the week and month ones
-- built on them) refresh only the buckets that changed instead of being rebuilt in full
-- (docs/refresh.md, "Incremental aggregates"):
-- - ops.mv_registry gets a kind: 'materialized' (a materialized view, REFRESHed whole) or
--   'incremental' (a plain table in mart that only the refresh functions write, with a compute
--   function that returns its rows for some merchants and days, and its bucket: day, week, month,
--   or merchant for the rolling windows of mart.mv_top_products);
-- - ops.agg_invalidations, the invalidation log: (aggregate, writing transaction, merchant, first
--   and last day) ranges written by statement triggers with transition tables on the facts and
--   dimensions the aggregates read, and by the refresh of a base aggregate for its dependants;
-- - ops.mv_refresh_log.refresh_mode: full or incremental.
-- requires: 0012_refresh_registry, 0005_facts_sales, 0006_facts_inventory_finance, 0004_dimensions
-- The trigger function is defined here first (the triggers need it); its live definition is
-- sql/functions/ops.log_aggregate_changes.sql.

ALTER TABLE ops.mv_registry
    ADD COLUMN view_kind text NOT NULL DEFAULT 'materialized',
    ADD COLUMN compute_function text,
    ADD COLUMN bucket_column text,
    ADD COLUMN bucket_width text,
    ADD CONSTRAINT mv_registry_view_kind_known CHECK (view_kind IN ('materialized', 'incremental')),
    ADD CONSTRAINT mv_registry_bucket_width_known CHECK (bucket_width IN ('day', 'week', 'month', 'merchant')),
    ADD CONSTRAINT mv_registry_incremental_complete CHECK (
        (view_kind = 'incremental') = (compute_function IS NOT NULL AND bucket_column IS NOT NULL AND bucket_width IS NOT NULL));

COMMENT ON COLUMN ops.mv_registry.view_kind IS 'materialized: a materialized view, refreshed whole (REFRESH, CONCURRENTLY when set). incremental: a plain table that only the refresh functions write; a due refresh recomputes only the buckets its invalidation log (ops.agg_invalidations) names.';
COMMENT ON COLUMN ops.mv_registry.compute_function IS 'Incremental aggregates: the function returning the aggregate''s rows for (merchants or NULL for all, first day, last day), whole buckets; the same SELECT fills the table in full.';
COMMENT ON COLUMN ops.mv_registry.bucket_column IS 'Incremental aggregates: the column holding the bucket (sales_date, week_start, month_start); for bucket_width merchant, the column holding the day the rows were computed for (window_end).';
COMMENT ON COLUMN ops.mv_registry.bucket_width IS 'Incremental aggregates: day, week or month (invalidated days are widened to whole buckets), or merchant (every row of an invalidated merchant is recomputed; a full rebuild when the rows were computed on another day).';

ALTER TABLE ops.mv_refresh_log ADD COLUMN refresh_mode text,
    ADD CONSTRAINT mv_refresh_log_refresh_mode_known CHECK (refresh_mode IN ('full', 'incremental'));
COMMENT ON COLUMN ops.mv_refresh_log.refresh_mode IS 'full (REFRESH of a materialized view, or an incremental aggregate rebuilt from scratch) or incremental (only the invalidated buckets recomputed).';

------------------------------------------------------------------------------------------------
-- ops.agg_invalidations: the invalidation log
------------------------------------------------------------------------------------------------
-- Like ops.mv_invalidations, a range belongs to the transaction that wrote it: a refresh consumes
-- only the ranges of transactions its snapshot saw, so a write in flight keeps its range.
CREATE TABLE ops.agg_invalidations (
    invalidation_id  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    view_name        text        NOT NULL,
    xid              xid8        NOT NULL DEFAULT pg_current_xact_id(),
    merchant_id      bigint,
    first_day        date        NOT NULL,
    last_day         date        NOT NULL,
    source_name      text        NOT NULL,
    invalidated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT agg_invalidations_range_ordered CHECK (first_day <= last_day)
);

CREATE INDEX agg_invalidations_view_idx ON ops.agg_invalidations (view_name, xid);

COMMENT ON TABLE ops.agg_invalidations IS 'Invalidation log of the incremental aggregates: (aggregate, writing transaction, merchant, days) ranges whose buckets must be recomputed. Written by the statement triggers ops.log_aggregate_changes on the tables the aggregates read (collapsed per statement to runs of consecutive days per merchant) and by the refresh of a base aggregate for the aggregates built on it; consumed by ops.refresh_view.';
COMMENT ON COLUMN ops.agg_invalidations.merchant_id IS 'The merchant whose rows changed; NULL for every merchant (a TRUNCATE, a change to a table without merchant_id).';
COMMENT ON COLUMN ops.agg_invalidations.first_day IS 'First changed day (-infinity: from the beginning).';
COMMENT ON COLUMN ops.agg_invalidations.last_day IS 'Last changed day (infinity: to the end).';
COMMENT ON COLUMN ops.agg_invalidations.xid IS 'The writing transaction; a refresh consumes the ranges whose transaction its snapshot saw (pg_visible_in_snapshot).';

CREATE OR REPLACE FUNCTION ops.log_aggregate_changes()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    source      text := pg_catalog.format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
    day_column  text := coalesce(TG_ARGV[0], '');
    targets     text[];
    changed_sql text;
BEGIN
    SELECT pg_catalog.array_agg(r.view_name ORDER BY r.view_name) INTO targets
    FROM ops.mv_registry AS r
    WHERE r.view_kind = 'incremental' AND source = ANY (r.reads);
    IF targets IS NULL THEN
        RETURN NULL;
    END IF;

    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
        SELECT t.view_name, NULL, '-infinity', 'infinity', source FROM pg_catalog.unnest(targets) AS t (view_name);
        RETURN NULL;
    END IF;

    IF day_column <> '' THEN
        -- A fact: the (merchant, day) pairs of the changed rows, old and new, as runs of days.
        changed_sql := CASE TG_OP
            WHEN 'INSERT' THEN pg_catalog.format('SELECT merchant_id, %I AS day FROM new_rows', day_column)
            WHEN 'DELETE' THEN pg_catalog.format('SELECT merchant_id, %I AS day FROM old_rows', day_column)
            ELSE pg_catalog.format('SELECT merchant_id, %1$I AS day FROM new_rows UNION SELECT merchant_id, %1$I FROM old_rows', day_column)
        END;
        EXECUTE pg_catalog.format($sql$
            INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
            SELECT t.view_name, r.merchant_id, r.first_day, r.last_day, $2
            FROM (SELECT d.merchant_id, pg_catalog.min(d.day) AS first_day, pg_catalog.max(d.day) AS last_day
                  FROM (SELECT c.merchant_id, c.day,
                               c.day - (pg_catalog.dense_rank() OVER (PARTITION BY c.merchant_id ORDER BY c.day))::integer AS run
                        FROM (%s) AS c
                        GROUP BY c.merchant_id, c.day) AS d
                  GROUP BY d.merchant_id, d.run) AS r
            CROSS JOIN pg_catalog.unnest($1) AS t (view_name)
            $sql$, changed_sql) USING targets, source;
    ELSIF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- A dimension: every day of the merchants whose rows really changed (an upsert that
        -- rewrites a row unchanged logs nothing); a table without merchant_id means every merchant.
        -- An INSERT logs nothing: no fact can name a row before it exists.
        changed_sql := CASE TG_OP
            WHEN 'DELETE' THEN 'SELECT pg_catalog.to_jsonb(o) AS j FROM old_rows AS o'
            ELSE 'SELECT pg_catalog.to_jsonb(n) - ''updated_at'' AS j FROM new_rows AS n
                  EXCEPT SELECT pg_catalog.to_jsonb(o) - ''updated_at'' FROM old_rows AS o'
        END;
        EXECUTE pg_catalog.format($sql$
            INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
            SELECT t.view_name, m.merchant_id, '-infinity', 'infinity', $2
            FROM (SELECT DISTINCT (c.j ->> 'merchant_id')::bigint AS merchant_id FROM (%s) AS c) AS m
            CROSS JOIN pg_catalog.unnest($1) AS t (view_name)
            $sql$, changed_sql) USING targets, source;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.log_aggregate_changes() IS
    'AFTER ... FOR EACH STATEMENT trigger (with transition tables new_rows/old_rows) on the tables incremental aggregates read: logs the changed (merchant, day) ranges in ops.agg_invalidations for every incremental aggregate reading the table. TG_ARGV[0] names the day column of a fact; without it (a dimension) an UPDATE or DELETE logs every day of the merchants whose rows changed. TRUNCATE logs everything.';
REVOKE EXECUTE ON FUNCTION ops.log_aggregate_changes() FROM PUBLIC;

-- The facts (by their day column) and dimensions the incremental aggregates read.
DO $$
DECLARE
    target record;
BEGIN
    FOR target IN
        SELECT * FROM (VALUES ('dw.fact_sales_orders', 'fact_sales_orders', 'order_date'),
                              ('dw.fact_order_items', 'fact_order_items', 'order_date'),
                              ('dw.fact_expenses', 'fact_expenses', 'expense_date'),
                              ('dw.dim_merchants', 'dim_merchants', ''),
                              ('dw.dim_shops', 'dim_shops', ''),
                              ('dw.dim_platforms', 'dim_platforms', ''),
                              ('dw.dim_products', 'dim_products', '')) AS t (relation, table_name, day_column)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_aggregate_changes(%L)',
                       target.table_name || '_log_aggregates_insert', target.relation, target.day_column);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_aggregate_changes(%L)',
                       target.table_name || '_log_aggregates_update', target.relation, target.day_column);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_aggregate_changes(%L)',
                       target.table_name || '_log_aggregates_delete', target.relation, target.day_column);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_aggregate_changes(%L)',
                       target.table_name || '_log_aggregates_truncate', target.relation, target.day_column);
    END LOOP;
END
$$;

-- erpdb:reworded-from 8d86f7dcdd75494f975e2c871f92e8a903b8d62232103a3a915700556f24e916 e5e7fe0bcd2d89bbddc3e7bd5478c74b7355ca68a7f34f552e7ce8d7ee268208
-- 0012_refresh_registry: what keeps the materialized views fresh (docs/refresh.md):
-- ops.mv_registry (one row per mart.mv_*, written by ops.register_view from each view file),
-- ops.mv_refresh_log (every refresh attempt), ops.mv_invalidations (the dirty marks of the
-- event-driven refresh, written by statement triggers on every dw table), and the C-class
-- result table mart.target_achievement (A-class dw.cfg_sales_targets against the sales views).
-- requires: 0002_roles (roles), 0003_ops_support (ops.set_updated_at), 0004..0008 (dw tables),
--           0010_merchant_isolation (ops.enable_merchant_isolation)
-- The functions that refresh, report and purge live in sql/functions; only what triggers need at
-- creation time lives here, because migrations run before sql/functions.

------------------------------------------------------------------------------------------------
-- ops.mv_registry
------------------------------------------------------------------------------------------------
CREATE TABLE ops.mv_registry (
    view_name             text        PRIMARY KEY,
    refresh_interval      interval    NOT NULL DEFAULT '$default_refresh_interval$',
    refresh_concurrently  boolean     NOT NULL DEFAULT true,
    stale_after           interval    NOT NULL DEFAULT '$default_stale_after$',
    statement_timeout     interval    NOT NULL DEFAULT '15 minutes',
    lock_timeout          interval    NOT NULL DEFAULT '1 minute',
    depends_on            text[]      NOT NULL DEFAULT '{}',
    reads                 text[]      NOT NULL DEFAULT '{}',
    description           text,
    last_success_at       timestamptz,
    last_row_count        bigint,
    last_duration_ms      numeric(14, 3),
    consecutive_failures  integer     NOT NULL DEFAULT 0,
    registered_at         timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT mv_registry_name_format CHECK (view_name ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'),
    CONSTRAINT mv_registry_interval_positive CHECK (refresh_interval > interval '0'),
    CONSTRAINT mv_registry_stale_after_positive CHECK (stale_after > interval '0'),
    CONSTRAINT mv_registry_timeouts_positive CHECK (statement_timeout > interval '0' AND lock_timeout > interval '0'),
    CONSTRAINT mv_registry_failures_nonnegative CHECK (consecutive_failures >= 0)
);

COMMENT ON TABLE ops.mv_registry IS 'One row per materialized view: how often it refreshes, whether CONCURRENTLY, when it is stale, what it reads, and its last success. Written by ops.register_view (from each sql/views file) and ops.refresh_view.';
COMMENT ON COLUMN ops.mv_registry.view_name IS 'Schema-qualified view name, e.g. mart.mv_daily_sales.';
COMMENT ON COLUMN ops.mv_registry.refresh_interval IS 'A view is due when its last success is older than this (default: the runner variable default_refresh_interval).';
COMMENT ON COLUMN ops.mv_registry.refresh_concurrently IS 'Refresh with REFRESH ... CONCURRENTLY (readers never wait) once the view is populated; needs a unique index on plain columns.';
COMMENT ON COLUMN ops.mv_registry.stale_after IS 'A view whose last success is older than this is stale, hence unhealthy (default: the runner variable default_stale_after).';
COMMENT ON COLUMN ops.mv_registry.statement_timeout IS 'SET LOCAL statement_timeout for the refresh transaction (PostgreSQL applies it from the next top-level statement on; see docs/refresh.md).';
COMMENT ON COLUMN ops.mv_registry.lock_timeout IS 'SET LOCAL lock_timeout for the refresh: a refresh that cannot get its lock in time fails and is logged instead of queueing behind DDL.';
COMMENT ON COLUMN ops.mv_registry.depends_on IS 'Materialized views this view reads (refreshed first; a refresh of one marks this view dirty). Derived from the catalog by ops.register_view.';
COMMENT ON COLUMN ops.mv_registry.reads IS 'Every relation the view reads (tables and views), schema-qualified; a write to one of them marks this view dirty. Derived from the catalog.';
COMMENT ON COLUMN ops.mv_registry.consecutive_failures IS 'Failed refreshes since the last success; 3 or more makes the view unhealthy.';

CREATE TRIGGER mv_registry_set_updated_at BEFORE UPDATE ON ops.mv_registry
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

------------------------------------------------------------------------------------------------
-- ops.mv_refresh_log
------------------------------------------------------------------------------------------------
CREATE TABLE ops.mv_refresh_log (
    log_id          bigint         GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    view_name       text           NOT NULL,
    started_at      timestamptz    NOT NULL,
    finished_at     timestamptz    NOT NULL,
    duration_ms     numeric(14, 3) NOT NULL,
    row_count       bigint,
    status          text           NOT NULL,
    was_concurrent  boolean,
    error_message   text,
    error_sqlstate  text,
    refresh_trigger text           NOT NULL,
    refreshed_by    text           NOT NULL DEFAULT session_user,
    CONSTRAINT mv_refresh_log_status_known CHECK (status IN ('succeeded', 'failed', 'skipped')),
    CONSTRAINT mv_refresh_log_finished_after_started CHECK (finished_at >= started_at),
    CONSTRAINT mv_refresh_log_error_when_failed CHECK (status <> 'failed' OR error_message IS NOT NULL),
    CONSTRAINT mv_refresh_log_trigger_length CHECK (length(refresh_trigger) BETWEEN 1 AND 100)
);

CREATE INDEX mv_refresh_log_view_started_idx ON ops.mv_refresh_log (view_name, started_at DESC);
CREATE INDEX mv_refresh_log_started_idx ON ops.mv_refresh_log (started_at);

COMMENT ON TABLE ops.mv_refresh_log IS 'One row per refresh attempt: started, finished, duration, rows, status, error, what triggered it. Bounded by ops.purge_refresh_log, which every due refresh calls.';
COMMENT ON COLUMN ops.mv_refresh_log.view_name IS 'The view refreshed (or the C-class result recomputed, e.g. mart.target_achievement).';
COMMENT ON COLUMN ops.mv_refresh_log.status IS 'succeeded; failed (error_message says why); skipped (another refresh of the same view held its lock).';
COMMENT ON COLUMN ops.mv_refresh_log.row_count IS 'Rows in the view after a successful refresh.';
COMMENT ON COLUMN ops.mv_refresh_log.refresh_trigger IS 'What asked for it: schedule (pg_cron), worker (RefreshWorker), manual, migrate, cli, config, ...';

------------------------------------------------------------------------------------------------
-- ops.mv_invalidations: dirty marks
------------------------------------------------------------------------------------------------
-- A mark is (view, writing transaction), not a flag: a refresh deletes only the marks of
-- transactions its snapshot saw, so a write still in flight while a view refreshes keeps the
-- view dirty instead of being lost (a boolean flag cleared after the refresh would lose it).
CREATE TABLE ops.mv_invalidations (
    view_name       text        NOT NULL,
    xid             xid8        NOT NULL,
    source_name     text        NOT NULL,
    invalidated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT mv_invalidations_pkey PRIMARY KEY (view_name, xid)
);

COMMENT ON TABLE ops.mv_invalidations IS 'Dirty marks: one row per view and writing transaction that changed a relation the view reads (statement triggers on dw tables, and a refreshed view for the views reading it). A view with a row is dirty; dirty_since is the oldest row.';
COMMENT ON COLUMN ops.mv_invalidations.xid IS 'The writing transaction; a refresh removes the marks whose transaction its snapshot saw (pg_visible_in_snapshot).';
COMMENT ON COLUMN ops.mv_invalidations.source_name IS 'The first relation that transaction changed, for diagnosis.';

CREATE OR REPLACE FUNCTION ops.mark_views_dirty()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    source text := pg_catalog.format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
BEGIN
    -- One row per view and transaction: repeated statements of one ingest conflict and do nothing,
    -- and an INSERT never waits for another transaction's row lock.
    INSERT INTO ops.mv_invalidations (view_name, xid, source_name)
    SELECT r.view_name, pg_catalog.pg_current_xact_id(), source
    FROM ops.mv_registry AS r
    WHERE source = ANY (r.reads)
    ON CONFLICT ON CONSTRAINT mv_invalidations_pkey DO NOTHING;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.mark_views_dirty() IS
    'AFTER ... FOR EACH STATEMENT trigger on dw tables: marks every registered view that reads the table dirty for this transaction. SECURITY DEFINER so that writers need no access to ops.';
REVOKE EXECUTE ON FUNCTION ops.mark_views_dirty() FROM PUBLIC;

CREATE OR REPLACE FUNCTION ops.config_changed()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- A-class configuration changed: recompute the C-class results now (the synchronous
    -- path). The recompute function is repeatable (sql/functions) and may not exist yet while the
    -- first migrate of a database runs; then the first due refresh computes them.
    IF pg_catalog.to_regprocedure('ops.recompute_c_class(text)') IS NOT NULL THEN
        PERFORM ops.recompute_c_class('config:' || TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.config_changed() IS
    'AFTER ... FOR EACH STATEMENT trigger on dw.cfg_* tables: recomputes the C-class results in mart (ops.recompute_c_class).';
REVOKE EXECUTE ON FUNCTION ops.config_changed() FROM PUBLIC;

CREATE OR REPLACE FUNCTION ops.enable_view_invalidation(target regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    table_name text;
BEGIN
    SELECT c.relname INTO table_name FROM pg_catalog.pg_class AS c WHERE c.oid = target;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                   WHERE tgrelid = target AND tgname = table_name || '_mark_views_dirty') THEN
        EXECUTE pg_catalog.format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
            'FOR EACH STATEMENT EXECUTE FUNCTION ops.mark_views_dirty()',
            table_name || '_mark_views_dirty', target);
    END IF;
    IF table_name LIKE 'cfg\_%'
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                       WHERE tgrelid = target AND tgname = table_name || '_recompute_c_class') THEN
        EXECUTE pg_catalog.format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
            'FOR EACH STATEMENT EXECUTE FUNCTION ops.config_changed()',
            table_name || '_recompute_c_class', target);
    END IF;
END
$$;

COMMENT ON FUNCTION ops.enable_view_invalidation(regclass) IS
    'Attaches the statement trigger <table>_mark_views_dirty (and, for cfg_* tables, <table>_recompute_c_class). Idempotent. Every migration that adds a dw table calls it.';
REVOKE EXECUTE ON FUNCTION ops.enable_view_invalidation(regclass) FROM PUBLIC;

DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN
        SELECT c.oid::regclass
        FROM pg_catalog.pg_class AS c
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'dw' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY c.relname
    LOOP
        PERFORM ops.enable_view_invalidation(t);
    END LOOP;
END
$$;

REVOKE ALL ON ops.mv_registry, ops.mv_refresh_log, ops.mv_invalidations FROM PUBLIC;

------------------------------------------------------------------------------------------------
-- mart.target_achievement (C-class)
------------------------------------------------------------------------------------------------
CREATE TABLE mart.target_achievement (
    merchant_id       bigint         NOT NULL,
    target_id         bigint         NOT NULL,
    shop_id           bigint,
    metric            text           NOT NULL,
    period_type       text           NOT NULL,
    period_start      date           NOT NULL,
    period_end        date           NOT NULL,
    target_value      numeric(18, 2) NOT NULL,
    actual_value      numeric(18, 2) NOT NULL,
    achievement_rate  numeric(12, 6),
    elapsed_share     numeric(7, 6)  NOT NULL,
    status            text           NOT NULL,
    computed_at       timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT target_achievement_pkey PRIMARY KEY (merchant_id, target_id),
    CONSTRAINT target_achievement_status_known CHECK (status IN ('not_started', 'achieved', 'on_track', 'behind', 'missed'))
);

CREATE INDEX target_achievement_period_idx ON mart.target_achievement (merchant_id, period_start, period_end);

COMMENT ON TABLE mart.target_achievement IS 'C-class: each sales target of dw.cfg_sales_targets with its actual value from mart.mv_daily_sales / mart.mv_customer_segments. Recomputed by ops.recompute_c_class after a due refresh and whenever a dw.cfg_* table changes. Row level security limits readers to their merchant.';
COMMENT ON COLUMN mart.target_achievement.actual_value IS 'The metric over [period_start, min(period_end, today)], in the unit of the target.';
COMMENT ON COLUMN mart.target_achievement.achievement_rate IS 'actual_value / target_value; NULL for a zero target.';
COMMENT ON COLUMN mart.target_achievement.elapsed_share IS 'Share of the period''s days that have begun (0 before it starts, 1 once it ended).';
COMMENT ON COLUMN mart.target_achievement.status IS 'not_started; achieved (actual >= target); on_track (rate >= elapsed share); behind; missed (period over, not achieved).';

SELECT ops.enable_merchant_isolation('mart.target_achievement');
REVOKE ALL ON mart.target_achievement FROM PUBLIC;
GRANT SELECT ON mart.target_achievement TO erp_reader;

-- 0028_view_freshness_table: ops.mv_freshness, one narrow row per registered view with what a
-- query result reports as its freshness (docs/queries.md, "Freshness"): last successful refresh,
-- rows, duration, stale_after, failing, and a refresh epoch that grows with every success.
-- requires: 0012_refresh_registry (ops.mv_registry), 0015_refresh_backoff
-- Before this, every query called ops.view_freshness() over ops.view_status(), which reads the
-- refresh log and the dirty marks: about 1.5 ms of a 2 ms dashboard. The row is written by a
-- trigger on ops.mv_registry, which ops.refresh_view and ops.register_view already update, so no
-- refresh code changes. Whether newer data is pending stays in ops.mv_invalidations (one insert
-- per writing transaction, never an update): a flag here, set by writers, would make concurrent
-- ingests queue on one row and a refresh wait for an ingest to commit.
-- The trigger function is defined here first; its live definition is
-- sql/functions/ops.note_view_freshness.sql.

CREATE TABLE ops.mv_freshness (
    view_name         text           NOT NULL,
    last_success_at   timestamptz,
    last_row_count    bigint,
    last_duration_ms  numeric(14, 3),
    stale_after       interval       NOT NULL,
    is_failing        boolean        NOT NULL DEFAULT false,
    refresh_epoch     bigint         NOT NULL DEFAULT 0,
    updated_at        timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT mv_freshness_pkey PRIMARY KEY (view_name),
    CONSTRAINT mv_freshness_view_registered FOREIGN KEY (view_name) REFERENCES ops.mv_registry (view_name)
        ON UPDATE CASCADE ON DELETE CASCADE
);

COMMENT ON TABLE ops.mv_freshness IS 'One row per registered view: what query results report as its freshness (last success, rows, duration, stale_after, failing) and a refresh epoch. Kept in step with ops.mv_registry by the trigger mv_registry_note_freshness; read by ops.view_freshness(). Pending changes (dirty) are ops.mv_invalidations.';
COMMENT ON COLUMN ops.mv_freshness.is_failing IS 'The last refresh attempt failed (ops.mv_registry.consecutive_failures > 0): the rows are those of last_success_at.';
COMMENT ON COLUMN ops.mv_freshness.refresh_epoch IS 'Grows by one whenever last_success_at changes: a result computed from the view is still current while the epoch is the same (a cache key).';

CREATE OR REPLACE FUNCTION ops.note_view_freshness()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO ops.mv_freshness AS f (view_name, last_success_at, last_row_count, last_duration_ms, stale_after, is_failing, refresh_epoch)
    VALUES (NEW.view_name, NEW.last_success_at, NEW.last_row_count, NEW.last_duration_ms, NEW.stale_after,
            NEW.consecutive_failures > 0, 1)
    ON CONFLICT ON CONSTRAINT mv_freshness_pkey DO UPDATE
        SET last_success_at = EXCLUDED.last_success_at,
            last_row_count = EXCLUDED.last_row_count,
            last_duration_ms = EXCLUDED.last_duration_ms,
            stale_after = EXCLUDED.stale_after,
            is_failing = EXCLUDED.is_failing,
            refresh_epoch = f.refresh_epoch
                + CASE WHEN f.last_success_at IS DISTINCT FROM EXCLUDED.last_success_at THEN 1 ELSE 0 END,
            updated_at = pg_catalog.now();
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.note_view_freshness() IS
    'AFTER INSERT OR UPDATE row trigger on ops.mv_registry: copies the view''s last success, rows, duration, stale_after and failing state into ops.mv_freshness and counts the refresh epoch.';
REVOKE EXECUTE ON FUNCTION ops.note_view_freshness() FROM PUBLIC;

CREATE TRIGGER mv_registry_note_freshness
    AFTER INSERT OR UPDATE OF view_name, last_success_at, last_row_count, last_duration_ms, stale_after, consecutive_failures
    ON ops.mv_registry
    FOR EACH ROW EXECUTE FUNCTION ops.note_view_freshness();

INSERT INTO ops.mv_freshness (view_name, last_success_at, last_row_count, last_duration_ms, stale_after, is_failing, refresh_epoch)
SELECT r.view_name, r.last_success_at, r.last_row_count, r.last_duration_ms, r.stale_after, r.consecutive_failures > 0,
       CASE WHEN r.last_success_at IS NULL THEN 0 ELSE 1 END
FROM ops.mv_registry AS r;

REVOKE ALL ON ops.mv_freshness FROM PUBLIC;

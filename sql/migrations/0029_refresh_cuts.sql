-- 0029_refresh_cuts: ops.refresh_cuts, the marks the refresh watchdog
-- (ops.cancel_overrunning_refreshes) commits before it cancels a view refresh that has run past
-- its registered statement timeout (docs/refresh.md, "Statement timeouts").
-- requires: 0012_refresh_registry (ops.mv_registry)
-- A cancelled ops.refresh_view looks for the mark of its own backend and transaction: found, the
-- cancel was the watchdog's (logged failed, SQLSTATE 57014, backs off, the run goes on); not
-- found, it was the caller's (logged cancelled, the run stops). The refresh deletes the mark it
-- used; the watchdog purges marks older than a day (a backend that was not refreshing any more).

CREATE TABLE ops.refresh_cuts (
    pid                 integer      NOT NULL,
    backend_xact_start  timestamptz  NOT NULL,
    view_name           text         NOT NULL,
    run_limit           interval     NOT NULL,
    cut_at              timestamptz  NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT refresh_cuts_pkey PRIMARY KEY (pid, backend_xact_start)
);

COMMENT ON TABLE ops.refresh_cuts IS 'Marks of the refresh watchdog (ops.cancel_overrunning_refreshes), committed before it cancels a view refresh past its statement timeout, so that the cancelled ops.refresh_view logs a timeout failure rather than a cancel. Written and purged only by the refresh functions.';
COMMENT ON COLUMN ops.refresh_cuts.backend_xact_start IS 'pg_stat_activity.xact_start of the cancelled backend: the mark applies to that transaction only (ops.refresh_view compares it with now()), never to a later one of the same process.';
COMMENT ON COLUMN ops.refresh_cuts.run_limit IS 'The view''s registered statement timeout the refresh ran past (named in the logged error).';

REVOKE ALL ON ops.refresh_cuts FROM PUBLIC;

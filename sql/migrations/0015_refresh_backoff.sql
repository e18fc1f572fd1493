-- 0015_refresh_backoff: retry backoff for failing views, and the 'cancelled' refresh status
-- (docs/refresh.md).
-- requires: 0012_refresh_registry (ops.mv_registry, ops.mv_refresh_log)

ALTER TABLE ops.mv_registry ADD COLUMN retry_after timestamptz;

COMMENT ON COLUMN ops.mv_registry.retry_after IS 'Set by a failed refresh: due refreshes leave the view alone until then (backoff: min(refresh_interval * 2^(consecutive_failures - 1), 1 hour) after the failure). A manual refresh ignores it; a success clears it.';

ALTER TABLE ops.mv_refresh_log DROP CONSTRAINT mv_refresh_log_status_known;
ALTER TABLE ops.mv_refresh_log ADD CONSTRAINT mv_refresh_log_status_known
    CHECK (status IN ('succeeded', 'failed', 'skipped', 'cancelled'));

COMMENT ON COLUMN ops.mv_refresh_log.status IS 'succeeded; failed (error_message says why; a statement timeout is a failure); skipped (another refresh of the same view held its lock); cancelled (the caller cancelled the run, which stopped there). view_name ops.refresh_due marks a whole run that failed or was cancelled outside a view''s refresh.';

COMMENT ON COLUMN ops.mv_registry.statement_timeout IS 'Bounds each refresh of the view when the caller sets it before calling ops.refresh_view (ops.refresh_statement_timeout; ViewRefresher does): PostgreSQL arms the statement timer per client statement, so CALL ops.refresh_due cannot apply it (see docs/refresh.md).';

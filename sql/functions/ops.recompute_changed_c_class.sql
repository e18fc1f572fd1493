-- ops.recompute_changed_c_class: the C-class recompute of a due refresh: only the shop health,
-- shop and product ranking periods whose facts the refreshed aggregates took in since the last
-- recompute (ops.c_class_changes), and the periods that include today (their comparison is cut at
-- the run's time of day), targets and campaigns whole; everything on the first run of a
-- day (the windows end on CURRENT_DATE). docs/c-class-recompute.md.
-- requires: ops.compute_c_class
-- Called by ops.refresh_due and ViewRefresher.RefreshDueAsync after a run that refreshed a view.
-- A failure is logged in ops.mv_refresh_log, never raised.

CREATE OR REPLACE FUNCTION ops.recompute_changed_c_class(refresh_trigger text DEFAULT 'manual')
RETURNS ops.mv_refresh_log
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT ops.compute_c_class(refresh_trigger, NULL, true)
$$;

COMMENT ON FUNCTION ops.recompute_changed_c_class(text) IS
    'The due refresh''s C-class recompute: targets and campaigns whole, shop health and rankings and product rankings only for the periods whose facts changed since the last recompute (ops.c_class_changes) and those that include today, everything on a new day. Logs in ops.mv_refresh_log (refresh_mode full or incremental) and returns the log row (NULL while the views do not exist); a failure is logged, not raised.';
REVOKE EXECUTE ON FUNCTION ops.recompute_changed_c_class(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.recompute_changed_c_class(text) TO erp_writer;

-- ops.due_run_lock_key: the key of the due refresh's run lock, the one place it is spelled.
-- requires: nothing
-- A session-level pg_advisory_lock(bigint) key: ops.try_lock_due_run takes it, ops.refresh_due and
-- ViewRefresher release it, the watchdog (ops.cancel_overrunning_refreshes) and doctor
-- (ops.health_problems, ERPDB005) look for its holder through ops.advisory_lock_holders(bigint).
-- No SET search_path (the name is schema-qualified) so that the planner folds it into a constant.

CREATE OR REPLACE FUNCTION ops.due_run_lock_key()
RETURNS bigint
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT pg_catalog.hashtextextended('erpdb.refresh_due', 0)
$$;

COMMENT ON FUNCTION ops.due_run_lock_key() IS
    'The advisory key (pg_advisory_lock(bigint)) of the due refresh''s run lock. Internal to the due refresh, its watchdog and doctor.';
REVOKE EXECUTE ON FUNCTION ops.due_run_lock_key() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.due_run_lock_key() TO erp_writer;

-- ops.note_refresh_cut: writes the watchdog's mark for one refresh it is about to cancel, and
-- purges old marks; the watchdog commits the mark before it cancels (docs/refresh.md).
-- requires: ops.refresh_cuts (0029_refresh_cuts), ops.refresh_limits
-- SECURITY DEFINER: the watchdog runs with its caller's rights (it must, to see other sessions in
-- pg_stat_activity), and only the owner writes ops.refresh_cuts. It marks only a process that
-- holds the view's refresh lock (pg_locks shows every session), with the view's registered limit.

CREATE OR REPLACE FUNCTION ops.note_refresh_cut(pid integer, backend_xact_start timestamptz, view_name text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    noted integer;
BEGIN
    DELETE FROM ops.refresh_cuts AS c WHERE c.cut_at < pg_catalog.clock_timestamp() - interval '1 day';

    INSERT INTO ops.refresh_cuts (pid, backend_xact_start, view_name, run_limit)
    SELECT note_refresh_cut.pid, note_refresh_cut.backend_xact_start, lim.view_name, lim.run_limit
    FROM ops.refresh_limits() AS lim
    WHERE lim.view_name = note_refresh_cut.view_name
      AND note_refresh_cut.backend_xact_start IS NOT NULL
      AND EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l
                  WHERE l.locktype = 'advisory' AND l.granted AND l.pid = note_refresh_cut.pid
                    AND l.database = (SELECT d.oid FROM pg_catalog.pg_database AS d WHERE d.datname = pg_catalog.current_database())
                    AND l.classid = lim.lock_classid AND l.objid = lim.lock_objid AND l.objsubid = 2)
    ON CONFLICT ON CONSTRAINT refresh_cuts_pkey DO NOTHING;
    GET DIAGNOSTICS noted = ROW_COUNT;
    RETURN noted > 0 OR EXISTS (SELECT 1 FROM ops.refresh_cuts AS c
                                WHERE c.pid = note_refresh_cut.pid AND c.backend_xact_start = note_refresh_cut.backend_xact_start);
END
$$;

COMMENT ON FUNCTION ops.note_refresh_cut(integer, timestamptz, text) IS
    'The watchdog''s mark before it cancels a refresh past its limit: (process, its transaction start, view, limit) into ops.refresh_cuts, only if that process holds the view''s refresh lock; purges marks older than a day. True when the mark exists.';
REVOKE EXECUTE ON FUNCTION ops.note_refresh_cut(integer, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.note_refresh_cut(integer, timestamptz, text) TO erp_writer;

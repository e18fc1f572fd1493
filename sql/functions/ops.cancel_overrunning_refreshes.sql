-- ops.cancel_overrunning_refreshes: the refresh watchdog. Cancels every view refresh running past
-- its registered statement timeout (ops.overrunning_refreshes), after committing a mark for each
-- (ops.note_refresh_cut) so that the cancelled ops.refresh_view logs it as a timeout failure
-- (SQLSTATE 57014, backoff) and a due run goes on with the next view, where a cancel from anyone
-- else stops the run. CALL ops.refresh_due (one client statement) cannot bound each view with
-- statement_timeout itself (docs/refresh-watchdog.md).
-- requires: ops.overrunning_refreshes, ops.note_refresh_cut, ops.refresh_limits, ops.advisory_lock_holders, ops.due_run_lock_key
-- keep_watching = 0 (RefreshWorker at every tick, a DBA): one pass. The pg_cron job
-- (sql/schedules/cancel_overrunning_refreshes.sql) passes 50 seconds: it checks every second for
-- at least that long, and after that for as long as a refresh runs. pg_cron 1.4 running jobs as
-- background workers does not start or finish any job while one job is still running, so a
-- watchdog job that ended while the due refresh hung would never run again until it ended.
-- A procedure, so that the marks are committed before the cancels (and no snapshot is held while
-- it sleeps); CALL it outside a transaction block (inside one, the COMMIT fails and nothing is
-- cancelled). It runs with the caller's rights: it sees other logins' sessions only as a
-- superuser or with pg_read_all_stats, and may cancel them only as a member of their role or of
-- pg_signal_backend (otherwise a WARNING names them). It cancels only processes holding a view's
-- refresh lock, and only in the transaction it marked: the same check runs again, in the
-- statement that cancels, after the COMMIT.

CREATE OR REPLACE PROCEDURE ops.cancel_overrunning_refreshes(keep_watching interval DEFAULT interval '0', INOUT cancelled integer DEFAULT NULL)
LANGUAGE plpgsql
AS $$
DECLARE
    run_lock constant bigint := ops.due_run_lock_key();
    watched  constant timestamptz := pg_catalog.clock_timestamp();
    overrun  record;
    pids     integer[];
    starts   timestamptz[];
    views    text[];
    sent     boolean;
BEGIN
    cancelled := 0;
    LOOP
        pids := '{}'::integer[];
        starts := '{}'::timestamptz[];
        views := '{}'::text[];
        FOR overrun IN
            SELECT o.view_name, o.pid, o.backend_xact_start
            FROM ops.overrunning_refreshes() AS o
            WHERE o.state = 'active' AND o.pid <> pg_catalog.pg_backend_pid()
            ORDER BY o.pid
        LOOP
            IF ops.note_refresh_cut(overrun.pid, overrun.backend_xact_start, overrun.view_name) THEN
                pids := pids || overrun.pid;
                starts := starts || overrun.backend_xact_start;
                views := views || overrun.view_name;
            END IF;
        END LOOP;

        IF pg_catalog.cardinality(pids) > 0 THEN
            -- The marks must be visible to the refreshes before they are cancelled.
            COMMIT;
            FOR i IN 1 .. pg_catalog.cardinality(pids) LOOP
                BEGIN
                    -- pg_stat_activity is read once per transaction unless cleared: read it afresh,
                    -- and cancel in the statement that checks, so a process that moved on is left alone.
                    PERFORM pg_catalog.pg_stat_clear_snapshot();
                    SELECT pg_catalog.bool_or(pg_catalog.pg_cancel_backend(o.pid)) INTO sent
                    FROM ops.overrunning_refreshes() AS o
                    WHERE o.pid = pids[i] AND o.backend_xact_start = starts[i] AND o.view_name = views[i] AND o.state = 'active';
                    IF sent THEN
                        cancelled := cancelled + 1;
                        RAISE NOTICE 'ops.cancel_overrunning_refreshes: cancelled process % (refresh of % past its statement timeout)', pids[i], views[i];
                    END IF;
                EXCEPTION WHEN insufficient_privilege THEN
                    RAISE WARNING 'ops.cancel_overrunning_refreshes: may not cancel process % (refresh of % past its statement timeout): %',
                        pids[i], views[i], SQLERRM;
                END;
            END LOOP;
        END IF;

        -- Keep watching while keep_watching lasts, then while a refresh runs: another active
        -- session holds a view's refresh lock (ops.refresh_view) or the due run's lock
        -- (ops.refresh_due). An idle holder runs nothing to cancel: it does not keep the job alive.
        EXIT WHEN pg_catalog.clock_timestamp() - watched >= coalesce(keep_watching, interval '0')
              AND (keep_watching IS NULL OR keep_watching <= interval '0' OR NOT EXISTS (
                  SELECT 1
                  FROM (SELECT h.* FROM ops.refresh_limits() AS lim
                        CROSS JOIN LATERAL ops.advisory_lock_holders(lim.lock_classid, lim.lock_objid, 2) AS h
                        UNION ALL
                        SELECT h.* FROM ops.advisory_lock_holders(run_lock) AS h) AS holder
                  WHERE holder.state = 'active' AND holder.pid <> pg_catalog.pg_backend_pid()));
        COMMIT;
        PERFORM pg_catalog.pg_sleep(1);
        PERFORM pg_catalog.pg_stat_clear_snapshot();
    END LOOP;
END
$$;

COMMENT ON PROCEDURE ops.cancel_overrunning_refreshes(interval, integer) IS
    'The refresh watchdog: cancels each view refresh running past its registered statement timeout, after committing a mark (ops.refresh_cuts) so that the refresh is logged failed with SQLSTATE 57014 and the due run goes on. keep_watching > 0 (the pg_cron job: 50 seconds) checks every second for that long, then while a refresh runs; 0 (RefreshWorker) checks once. cancelled returns how many were cancelled. CALL outside a transaction block.';
REVOKE EXECUTE ON PROCEDURE ops.cancel_overrunning_refreshes(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE ops.cancel_overrunning_refreshes(interval, integer) TO erp_writer;

-- ops.cancel_overrunning_refreshes: the refresh watchdog. Cancels every view refresh running past
-- its registered statement timeout (ops.overrunning_refreshes), after committing a mark for each
-- (ops.note_refresh_cut) so that the cancelled ops.refresh_view logs it as a timeout failure
-- (SQLSTATE 57014, backoff) and a due run goes on with the next view, where a cancel from anyone
-- else stops the run. Run every minute by pg_cron (sql/schedules/cancel_overrunning_refreshes.sql)
-- and at every tick of RefreshWorker: CALL ops.refresh_due (one client statement) cannot bound
-- each view with statement_timeout itself (docs/refresh.md, "Statement timeouts").
-- requires: ops.overrunning_refreshes, ops.note_refresh_cut
-- A procedure, so that the marks are committed before the cancels; CALL it outside a transaction
-- block (inside one, the COMMIT fails and nothing is cancelled). It runs with the caller's rights:
-- it sees other logins' sessions only as a superuser or with pg_read_all_stats, and may cancel
-- them only as a member of their role or of pg_signal_backend (otherwise a WARNING names them).
-- It cancels only processes holding a view's refresh lock, and only in the transaction it marked:
-- the same check runs again, in the statement that cancels, after the COMMIT.

CREATE OR REPLACE PROCEDURE ops.cancel_overrunning_refreshes(INOUT cancelled integer DEFAULT NULL)
LANGUAGE plpgsql
AS $$
DECLARE
    overrun  record;
    pids     integer[] := '{}'::integer[];
    starts   timestamptz[] := '{}'::timestamptz[];
    views    text[] := '{}'::text[];
    sent     boolean;
BEGIN
    cancelled := 0;
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
    IF pg_catalog.cardinality(pids) = 0 THEN
        RETURN;
    END IF;

    -- The marks must be visible to the refreshes before they are cancelled.
    COMMIT;

    FOR i IN 1 .. pg_catalog.cardinality(pids) LOOP
        BEGIN
            -- pg_stat_activity is read once per transaction unless cleared: read it afresh, and
            -- cancel in the statement that checks, so a process that has moved on is left alone.
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
END
$$;

COMMENT ON PROCEDURE ops.cancel_overrunning_refreshes(integer) IS
    'The refresh watchdog (pg_cron every minute, RefreshWorker every tick): cancels each view refresh running past its registered statement timeout, after committing a mark (ops.refresh_cuts) so that the refresh is logged failed with SQLSTATE 57014 and the due run goes on. cancelled returns how many were cancelled. CALL outside a transaction block.';
REVOKE EXECUTE ON PROCEDURE ops.cancel_overrunning_refreshes(integer) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE ops.cancel_overrunning_refreshes(integer) TO erp_writer;

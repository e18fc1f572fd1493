-- ops.refresh_due: the due refresh that pg_cron (every minute) runs: every due or dirty view in
-- dependency order (failing views back off), each in its own transaction, then the C-class
-- results, then the log purge. ViewRefresher drives the same run from the client, view by view,
-- so that each view's statement timeout bounds it; here the watchdog
-- ops.cancel_overrunning_refreshes (its own pg_cron job) cuts a view past it (docs/refresh-watchdog.md).
-- requires: ops.refresh_view, ops.views_to_refresh, ops.recompute_changed_c_class, ops.purge_refresh_log,
--           ops.log_refresh_run, ops.try_lock_due_run, ops.due_run_lock_key, ops.advisory_lock_holders,
--           ops.scheduled_lock_timeout, ops.analyze_stale_parents
-- A procedure, so that it can COMMIT after each view; procedures that COMMIT may be neither
-- SECURITY DEFINER nor carry SET search_path, so every name here is schema-qualified and the work
-- is done by the SECURITY DEFINER functions it calls. CALL it outside a transaction block.
--
-- The run lock is session-level (it must survive the COMMITs), so it must never outlive the run:
-- everything between taking and releasing it runs in blocks that catch any error (a cancel and
-- the caller's statement timeout included); the run then logs the error (view_name
-- ops.refresh_due), commits, releases the lock and re-raises.

CREATE OR REPLACE PROCEDURE ops.refresh_due(refresh_trigger text DEFAULT 'manual', INOUT log_ids bigint[] DEFAULT NULL)
LANGUAGE plpgsql
AS $$
DECLARE
    run_lock      constant bigint := ops.due_run_lock_key();
    next_view     text;
    done          text[] := '{}'::text[];
    logged        ops.mv_refresh_log;
    succeeded     integer := 0;
    probe         text;
    failure_text  text;
    failure_state text;
    failure_kind  text;
    caller_lock   text;
BEGIN
    log_ids := '{}'::bigint[];

    -- Inside a transaction block (BEGIN; CALL ...) the COMMITs below are impossible. COMMIT in a
    -- block with a handler always fails; its message says which case this is (the atomic check
    -- comes first). The log row survives if the caller commits; nothing is locked yet.
    BEGIN
        COMMIT;
    EXCEPTION
        WHEN invalid_transaction_termination THEN
            GET STACKED DIAGNOSTICS probe = MESSAGE_TEXT;
        WHEN query_canceled OR OTHERS THEN
            GET STACKED DIAGNOSTICS failure_text = MESSAGE_TEXT, failure_state = RETURNED_SQLSTATE;
    END;
    IF probe = 'invalid transaction termination' THEN
        logged := ops.log_refresh_run(refresh_trigger, 'failed',
            'ops.refresh_due must be CALLed outside a transaction block: it commits after each view', '2D000');
        log_ids := ARRAY[logged.log_id];
        RAISE WARNING 'ops.refresh_due: called inside a transaction block; nothing refreshed (logged as failed)';
        RETURN;
    END IF;
    -- Any other context that forbids COMMIT fails here, before the lock is taken.
    COMMIT;

    IF failure_state IS NULL AND (refresh_trigger IS NULL OR pg_catalog.length(refresh_trigger) NOT BETWEEN 1 AND 100) THEN
        failure_state := '22023';
        failure_text := pg_catalog.format('ops.refresh_due: refresh trigger must be 1 to 100 characters, not %s',
                                          coalesce(pg_catalog.quote_literal(refresh_trigger), 'NULL'));
    END IF;
    IF failure_state IS NOT NULL THEN
        logged := ops.log_refresh_run(refresh_trigger,
            CASE WHEN failure_state = '57014' AND failure_text NOT LIKE '%statement timeout%' THEN 'cancelled' ELSE 'failed' END,
            failure_text, failure_state);
        log_ids := ARRAY[logged.log_id];
        COMMIT;
        RAISE EXCEPTION USING MESSAGE = failure_text, ERRCODE = failure_state, HINT = 'Logged in ops.mv_refresh_log.';
    END IF;

    -- The run lock: held by another due refresh, skip; held by a login that may not run due
    -- refreshes (any login may take the key), run without it (ops.try_lock_due_run warns).
    BEGIN
        IF ops.try_lock_due_run() = 'running' THEN
            RAISE NOTICE 'ops.refresh_due: another due refresh is running; skipped';
            RETURN;
        END IF;
    EXCEPTION WHEN query_canceled OR OTHERS THEN
        GET STACKED DIAGNOSTICS failure_text = MESSAGE_TEXT, failure_state = RETURNED_SQLSTATE;
    END;

    -- Short lock waits for the run; the caller's setting comes back at the end.
    IF failure_state IS NULL THEN
        BEGIN
            caller_lock := pg_catalog.current_setting('lock_timeout');
            PERFORM pg_catalog.set_config('lock_timeout', ops.scheduled_lock_timeout(), false);
        EXCEPTION WHEN query_canceled OR OTHERS THEN
            GET STACKED DIAGNOSTICS failure_text = MESSAGE_TEXT, failure_state = RETURNED_SQLSTATE;
        END;
    END IF;

    -- The partitioned facts' own statistics first, which the views' joins with them are estimated on
    -- (ops.analyze_stale_parents; docs/refresh.md, "Statistics of the partitioned facts"), committed on
    -- their own. Not taken is not a failure of the run: a warning, and the views refresh as before.
    IF failure_state IS NULL THEN
        BEGIN
            PERFORM ops.analyze_stale_parents();
        EXCEPTION
            WHEN query_canceled THEN
                GET STACKED DIAGNOSTICS failure_text = MESSAGE_TEXT, failure_state = RETURNED_SQLSTATE;
            WHEN OTHERS THEN
                RAISE WARNING 'ops.refresh_due: the partitioned facts'' statistics were not taken: %', SQLERRM;
        END;
        COMMIT;
    END IF;

    -- Re-evaluated after each view: a refreshed view makes the views reading it dirty, and they
    -- come later in dependency order. Each view is refreshed at most once per run.
    WHILE failure_state IS NULL LOOP
        BEGIN
            next_view := NULL;
            SELECT v.view_name INTO next_view
            FROM ops.views_to_refresh(true) AS v
            WHERE v.view_name <> ALL (done)
            ORDER BY v.refresh_level, v.view_name
            LIMIT 1;
            IF next_view IS NOT NULL THEN
                done := done || next_view;
                logged := ops.refresh_view(next_view, refresh_trigger);
                log_ids := log_ids || logged.log_id;
                IF logged.status = 'succeeded' THEN
                    succeeded := succeeded + 1;
                ELSIF logged.status = 'cancelled' THEN
                    -- Already logged by ops.refresh_view: the run stops here.
                    failure_kind := 'logged';
                    failure_text := logged.error_message;
                    failure_state := logged.error_sqlstate;
                END IF;
            END IF;
        EXCEPTION WHEN query_canceled OR OTHERS THEN
            GET STACKED DIAGNOSTICS failure_text = MESSAGE_TEXT, failure_state = RETURNED_SQLSTATE;
        END;
        EXIT WHEN next_view IS NULL OR failure_state IS NOT NULL;
        COMMIT;
    END LOOP;
    COMMIT;

    IF failure_state IS NULL THEN
        BEGIN
            IF succeeded > 0 THEN
                logged := ops.recompute_changed_c_class(refresh_trigger);
                IF logged.log_id IS NOT NULL THEN
                    log_ids := log_ids || logged.log_id;
                END IF;
            END IF;
            PERFORM ops.purge_refresh_log();
        EXCEPTION WHEN query_canceled OR OTHERS THEN
            GET STACKED DIAGNOSTICS failure_text = MESSAGE_TEXT, failure_state = RETURNED_SQLSTATE;
        END;
    END IF;

    IF failure_state IS NOT NULL AND failure_kind IS NULL THEN
        BEGIN
            logged := ops.log_refresh_run(refresh_trigger,
                CASE WHEN failure_state = '57014' AND failure_text NOT LIKE '%statement timeout%' THEN 'cancelled' ELSE 'failed' END,
                failure_text, failure_state);
            log_ids := log_ids || logged.log_id;
        EXCEPTION WHEN query_canceled OR OTHERS THEN
            RAISE WARNING 'ops.refresh_due: could not log the failure: %', SQLERRM;
        END;
    END IF;
    -- The caller's lock timeout back, committed (the RAISE below aborts the transaction it runs in),
    -- in a block: nothing here may keep the run lock from being released.
    IF caller_lock IS NOT NULL THEN
        BEGIN
            PERFORM pg_catalog.set_config('lock_timeout', caller_lock, false);
        EXCEPTION WHEN query_canceled OR OTHERS THEN
            RAISE WARNING 'ops.refresh_due: could not set lock_timeout back to %: %', caller_lock, SQLERRM;
        END;
    END IF;
    COMMIT;

    -- Release every hold this session has on the run lock (a cancel may arrive here too).
    FOR attempt IN 1..3 LOOP
        BEGIN
            WHILE EXISTS (SELECT 1 FROM ops.advisory_lock_holders(run_lock) AS h WHERE h.pid = pg_catalog.pg_backend_pid()) LOOP
                PERFORM pg_catalog.pg_advisory_unlock(run_lock);
            END LOOP;
            EXIT;
        EXCEPTION WHEN query_canceled THEN
            NULL;
        END;
    END LOOP;

    IF failure_state IS NOT NULL THEN
        RAISE EXCEPTION USING MESSAGE = failure_text, ERRCODE = failure_state,
            HINT = 'Logged in ops.mv_refresh_log; the run lock is released.';
    END IF;
END
$$;

COMMENT ON PROCEDURE ops.refresh_due(text, bigint[]) IS
    'Refreshes every due or dirty view in dependency order, one transaction per view (a failing view is logged, backs off, and the others go on; a view or C-class step whose locks are not free within ops.scheduled_lock_timeout() is logged skipped and stays dirty), then recomputes the C-class results that changed and purges the refresh log. Overlapping runs skip (the advisory run lock, ops.try_lock_due_run; a holder that may not run due refreshes is bypassed with a WARNING). A cancel stops the run; every failure is logged and the lock never outlives the run. log_ids returns the log rows written. CALL outside a transaction block.';
REVOKE EXECUTE ON PROCEDURE ops.refresh_due(text, bigint[]) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE ops.refresh_due(text, bigint[]) TO erp_writer;

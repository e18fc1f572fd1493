-- ops.refresh_due: the due refresh that pg_cron (every minute), RefreshWorker and
-- `erpdb refresh --due` run: every due or dirty view in dependency order, each in its own
-- transaction, then the C-class results, then the log purge.
-- requires: ops.refresh_view, ops.views_to_refresh, ops.recompute_c_class, ops.purge_refresh_log
-- A procedure, so that it can COMMIT after each view; procedures that COMMIT may be neither
-- SECURITY DEFINER nor carry SET search_path, so every name here is schema-qualified and the work
-- is done by the SECURITY DEFINER functions it calls. CALL it outside a transaction block.

CREATE OR REPLACE PROCEDURE ops.refresh_due(refresh_trigger text DEFAULT 'manual', INOUT log_ids bigint[] DEFAULT NULL)
LANGUAGE plpgsql
AS $$
DECLARE
    -- Session-level, so it survives the COMMITs; pg_cron runs each job on a session of its own.
    run_lock  constant bigint := pg_catalog.hashtextextended('erpdb.refresh_due', 0);
    next_view text;
    done      text[] := '{}';
    logged    ops.mv_refresh_log;
    succeeded integer := 0;
BEGIN
    log_ids := '{}';
    IF NOT pg_catalog.pg_try_advisory_lock(run_lock) THEN
        RAISE NOTICE 'ops.refresh_due: another due refresh is running; skipped';
        RETURN;
    END IF;

    -- Re-evaluated after each view: a refreshed view makes the views reading it dirty, and they
    -- come later in dependency order. Each view is refreshed at most once per run.
    LOOP
        SELECT v.view_name INTO next_view
        FROM ops.views_to_refresh(true) AS v
        WHERE v.view_name <> ALL (done)
        ORDER BY v.refresh_level, v.view_name
        LIMIT 1;
        EXIT WHEN next_view IS NULL;
        done := done || next_view;
        logged := ops.refresh_view(next_view, refresh_trigger);
        log_ids := log_ids || logged.log_id;
        IF logged.status = 'succeeded' THEN
            succeeded := succeeded + 1;
        END IF;
        COMMIT;
        next_view := NULL;
    END LOOP;

    IF succeeded > 0 THEN
        logged := ops.recompute_c_class(refresh_trigger);
        IF logged.log_id IS NOT NULL THEN
            log_ids := log_ids || logged.log_id;
        END IF;
        COMMIT;
    END IF;
    PERFORM ops.purge_refresh_log();
    COMMIT;
    PERFORM pg_catalog.pg_advisory_unlock(run_lock);
END
$$;

COMMENT ON PROCEDURE ops.refresh_due(text, bigint[]) IS
    'Refreshes every due or dirty view in dependency order, one transaction per view (a failing view is logged and the others go on), then recomputes the C-class results and purges the refresh log. Overlapping runs skip (advisory lock). log_ids returns the log rows written. CALL outside a transaction block.';
REVOKE EXECUTE ON PROCEDURE ops.refresh_due(text, bigint[]) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE ops.refresh_due(text, bigint[]) TO erp_writer;

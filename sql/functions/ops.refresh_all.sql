-- ops.refresh_all: refreshes every registered view in dependency order, due or not, each in its
-- own transaction, then recomputes the C-class results. Incremental aggregates are rebuilt from
-- scratch (full_rebuild), whatever their invalidation log says.
-- requires: ops.refresh_view, ops.views_to_refresh, ops.recompute_c_class
-- A procedure for the same reasons as ops.refresh_due (COMMIT per view). Concurrent callers do
-- not wait for each other: the per-view lock of ops.refresh_view logs the second one as skipped.

CREATE OR REPLACE PROCEDURE ops.refresh_all(refresh_trigger text DEFAULT 'manual', INOUT log_ids bigint[] DEFAULT NULL)
LANGUAGE plpgsql
AS $$
DECLARE
    next_view text;
    logged    ops.mv_refresh_log;
BEGIN
    log_ids := '{}';
    FOR next_view IN SELECT v.view_name FROM ops.views_to_refresh(false) AS v ORDER BY v.refresh_level, v.view_name LOOP
        logged := ops.refresh_view(next_view, refresh_trigger, true);
        log_ids := log_ids || logged.log_id;
        COMMIT;
        -- A cancel is logged by ops.refresh_view; the run stops there.
        IF logged.status = 'cancelled' THEN
            RAISE EXCEPTION USING MESSAGE = logged.error_message, ERRCODE = logged.error_sqlstate;
        END IF;
    END LOOP;
    logged := ops.recompute_c_class(refresh_trigger);
    IF logged.log_id IS NOT NULL THEN
        log_ids := log_ids || logged.log_id;
    END IF;
    COMMIT;
END
$$;

COMMENT ON PROCEDURE ops.refresh_all(text, bigint[]) IS
    'Refreshes every registered view in dependency order (incremental aggregates rebuilt from scratch), one transaction per view, then recomputes the C-class results; a cancel stops it (logged as cancelled). log_ids returns the log rows written. CALL outside a transaction block.';
REVOKE EXECUTE ON PROCEDURE ops.refresh_all(text, bigint[]) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE ops.refresh_all(text, bigint[]) TO erp_writer;

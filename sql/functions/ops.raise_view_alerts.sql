-- ops.raise_view_alerts: the AFTER UPDATE trigger on ops.mv_registry (migration 0019) that raises
-- and resolves the view alerts in dw.alerts: view_failing at three consecutive failures,
-- slow_refresh when the last successful refresh took longer than slow_after.
-- requires: ops.mv_registry (0012_refresh_registry, slow_after 0019), dw.alerts (0017_business_flows)
-- First created by 0019_alerts_and_results; this file is its live definition.
-- Every refresh updates the registry, so this runs inside every refresh's transaction. dw.alerts is
-- a dw table that seeds and imports lock (a seed with --replace truncates it and holds the lock for
-- the whole load): waiting for it held the due refresh, and with pg_cron 1.4 every job of the
-- server, for as long as that transaction lasted. So it takes its lock on dw.alerts without
-- waiting; when that is not free it leaves the alerts as they are (a NOTICE says so): the next
-- registry change evaluates them again (the next failure raises, the next success resolves).
-- SECURITY DEFINER: a refresh runs as the owner; a DBA's UPDATE of the registry may not write dw.

CREATE OR REPLACE FUNCTION ops.raise_view_alerts()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    BEGIN
        LOCK TABLE dw.alerts IN ROW EXCLUSIVE MODE NOWAIT;
    EXCEPTION WHEN lock_not_available THEN
        RAISE NOTICE 'the alerts of % were not updated: dw.alerts is locked by another transaction; the next refresh updates them', NEW.view_name;
        RETURN NULL;
    END;

    -- view_failing: three or more refreshes in a row failed; resolved by the next success.
    IF NEW.consecutive_failures >= 3 THEN
        INSERT INTO dw.alerts AS a (kind, merchant_id, subject, details)
        VALUES ('view_failing', NULL, NEW.view_name,
                jsonb_build_object('consecutive_failures', NEW.consecutive_failures))
        ON CONFLICT (kind, merchant_id, subject) WHERE resolved_at IS NULL DO UPDATE
            SET details = EXCLUDED.details
            WHERE a.details IS DISTINCT FROM EXCLUDED.details;
    ELSE
        UPDATE dw.alerts AS a SET resolved_at = greatest(now(), a.raised_at)
        WHERE a.kind = 'view_failing' AND a.merchant_id IS NULL AND a.subject = NEW.view_name AND a.resolved_at IS NULL;
    END IF;

    -- slow_refresh: the last successful refresh took longer than slow_after.
    IF NEW.last_duration_ms IS NOT NULL AND NEW.last_duration_ms > EXTRACT(epoch FROM NEW.slow_after) * 1000 THEN
        INSERT INTO dw.alerts AS a (kind, merchant_id, subject, details)
        VALUES ('slow_refresh', NULL, NEW.view_name,
                jsonb_build_object('duration_ms', NEW.last_duration_ms, 'slow_after', NEW.slow_after::text))
        ON CONFLICT (kind, merchant_id, subject) WHERE resolved_at IS NULL DO UPDATE
            SET details = EXCLUDED.details
            WHERE a.details IS DISTINCT FROM EXCLUDED.details;
    ELSE
        UPDATE dw.alerts AS a SET resolved_at = greatest(now(), a.raised_at)
        WHERE a.kind = 'slow_refresh' AND a.merchant_id IS NULL AND a.subject = NEW.view_name AND a.resolved_at IS NULL;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.raise_view_alerts() IS
    'AFTER UPDATE trigger on ops.mv_registry: raises a view_failing alert at 3 consecutive failures and a slow_refresh alert when the last successful refresh took longer than slow_after; resolves them when the condition ends. Never waits for dw.alerts: when another transaction holds it, the alerts are left for the next registry change.';
REVOKE EXECUTE ON FUNCTION ops.raise_view_alerts() FROM PUBLIC;

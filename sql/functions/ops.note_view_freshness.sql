-- ops.note_view_freshness: keeps ops.mv_freshness in step with ops.mv_registry (trigger mv_registry_note_freshness).
-- requires: ops.mv_registry (0012_refresh_registry), ops.mv_freshness (0028_view_freshness_table)
-- First created by 0028_view_freshness_table; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

CREATE OR REPLACE FUNCTION ops.note_view_freshness()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO ops.mv_freshness AS f (view_name, last_success_at, last_row_count, last_duration_ms, stale_after, is_failing, refresh_epoch)
    VALUES (NEW.view_name, NEW.last_success_at, NEW.last_row_count, NEW.last_duration_ms, NEW.stale_after,
            NEW.consecutive_failures > 0, 1)
    ON CONFLICT ON CONSTRAINT mv_freshness_pkey DO UPDATE
        SET last_success_at = EXCLUDED.last_success_at,
            last_row_count = EXCLUDED.last_row_count,
            last_duration_ms = EXCLUDED.last_duration_ms,
            stale_after = EXCLUDED.stale_after,
            is_failing = EXCLUDED.is_failing,
            refresh_epoch = f.refresh_epoch
                + CASE WHEN f.last_success_at IS DISTINCT FROM EXCLUDED.last_success_at THEN 1 ELSE 0 END,
            updated_at = pg_catalog.now();
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.note_view_freshness() IS
    'AFTER INSERT OR UPDATE row trigger on ops.mv_registry: copies the view''s last success, rows, duration, stale_after and failing state into ops.mv_freshness and counts the refresh epoch.';
REVOKE EXECUTE ON FUNCTION ops.note_view_freshness() FROM PUBLIC;

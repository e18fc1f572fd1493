-- ops.mark_views_dirty: statement trigger that marks the views reading the changed table as dirty.
-- requires: ops.mv_registry, ops.mv_invalidations (0012_refresh_registry)
-- First created by 0012_refresh_registry; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

CREATE OR REPLACE FUNCTION ops.mark_views_dirty()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    source text := pg_catalog.format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
BEGIN
    -- One row per view and transaction: repeated statements of one ingest conflict and do nothing,
    -- and an INSERT never waits for another transaction's row lock.
    INSERT INTO ops.mv_invalidations (view_name, xid, source_name)
    SELECT r.view_name, pg_catalog.pg_current_xact_id(), source
    FROM ops.mv_registry AS r
    WHERE source = ANY (r.reads)
    ON CONFLICT ON CONSTRAINT mv_invalidations_pkey DO NOTHING;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.mark_views_dirty() IS
    'AFTER ... FOR EACH STATEMENT trigger on dw tables: marks every registered view that reads the table dirty for this transaction. SECURITY DEFINER so that writers need no access to ops.';
REVOKE EXECUTE ON FUNCTION ops.mark_views_dirty() FROM PUBLIC;

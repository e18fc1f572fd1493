-- ops.config_changed: statement trigger on the A-class config tables: their C-class results must be recomputed.
-- requires: ops.mv_invalidations (0012_refresh_registry)
-- First created by 0012_refresh_registry; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

CREATE OR REPLACE FUNCTION ops.config_changed()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- A-class configuration changed: recompute the C-class results now (the synchronous
    -- path). The recompute function is repeatable (sql/functions) and may not exist yet while the
    -- first migrate of a database runs; then the first due refresh computes them.
    IF pg_catalog.to_regprocedure('ops.recompute_c_class(text)') IS NOT NULL THEN
        PERFORM ops.recompute_c_class('config:' || TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.config_changed() IS
    'AFTER ... FOR EACH STATEMENT trigger on dw.cfg_* tables: recomputes the C-class results in mart (ops.recompute_c_class).';
REVOKE EXECUTE ON FUNCTION ops.config_changed() FROM PUBLIC;

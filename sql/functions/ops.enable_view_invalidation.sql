-- ops.enable_view_invalidation: attaches the ops.mark_views_dirty statement triggers to one table.
-- requires: ops.mark_views_dirty
-- First created by 0012_refresh_registry; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

CREATE OR REPLACE FUNCTION ops.enable_view_invalidation(target regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    table_name text;
BEGIN
    SELECT c.relname INTO table_name FROM pg_catalog.pg_class AS c WHERE c.oid = target;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                   WHERE tgrelid = target AND tgname = table_name || '_mark_views_dirty') THEN
        EXECUTE pg_catalog.format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
            'FOR EACH STATEMENT EXECUTE FUNCTION ops.mark_views_dirty()',
            table_name || '_mark_views_dirty', target);
    END IF;
    IF table_name LIKE 'cfg\_%'
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                       WHERE tgrelid = target AND tgname = table_name || '_recompute_c_class') THEN
        EXECUTE pg_catalog.format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
            'FOR EACH STATEMENT EXECUTE FUNCTION ops.config_changed()',
            table_name || '_recompute_c_class', target);
    END IF;
END
$$;

COMMENT ON FUNCTION ops.enable_view_invalidation(regclass) IS
    'Attaches the statement trigger <table>_mark_views_dirty (and, for cfg_* tables, <table>_recompute_c_class). Idempotent. Every migration that adds a dw table calls it.';
REVOKE EXECUTE ON FUNCTION ops.enable_view_invalidation(regclass) FROM PUBLIC;

-- ops.enable_view_invalidation: attaches the ops.mark_views_dirty statement trigger to one table and,
-- to a cfg_* table, the ops.config_changed triggers (one per event, with transition tables).
-- requires: ops.mark_views_dirty, ops.config_changed
-- First created by 0012_refresh_registry, redefined by 0020_shop_health_and_rankings; this file is its live definition.
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
    IF table_name LIKE 'cfg\_%' THEN
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = table_name || '_recompute_insert') THEN
            EXECUTE pg_catalog.format(
                'CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS changed_new '
                'FOR EACH STATEMENT EXECUTE FUNCTION ops.config_changed()', table_name || '_recompute_insert', target);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = table_name || '_recompute_update') THEN
            EXECUTE pg_catalog.format(
                'CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new '
                'FOR EACH STATEMENT EXECUTE FUNCTION ops.config_changed()', table_name || '_recompute_update', target);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = table_name || '_recompute_delete') THEN
            EXECUTE pg_catalog.format(
                'CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS changed_old '
                'FOR EACH STATEMENT EXECUTE FUNCTION ops.config_changed()', table_name || '_recompute_delete', target);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = table_name || '_recompute_truncate') THEN
            EXECUTE pg_catalog.format(
                'CREATE TRIGGER %I AFTER TRUNCATE ON %s '
                'FOR EACH STATEMENT EXECUTE FUNCTION ops.config_changed()', table_name || '_recompute_truncate', target);
        END IF;
    END IF;
END
$$;

COMMENT ON FUNCTION ops.enable_view_invalidation(regclass) IS
    'Attaches the statement trigger <table>_mark_views_dirty and, for cfg_* tables, <table>_recompute_insert/_update/_delete (with transition tables: the merchants changed) and _truncate (every merchant). Idempotent. Every migration that adds a dw table calls it.';
REVOKE EXECUTE ON FUNCTION ops.enable_view_invalidation(regclass) FROM PUBLIC;

-- ops.enable_reader_scope: row level security for readers on a mart table with merchant_id (an
-- incremental aggregate), and SELECT on it for erp_reader (docs/merchant-isolation.md).
-- requires: ops.current_merchant_id; roles erp_reader (0002_roles)
-- The sql/views files of the incremental aggregates call it after creating the table. Their reader
-- views are then plain security_invoker views: the policy is applied to the table inside the
-- caller's plan, so PostgreSQL can flatten the view, push filters and walk an index for
-- ORDER BY ... LIMIT (a security_barrier view over a materialized view never allows that).
-- Only the reader policy: writers never read marts, and the owner (the refresh functions, which
-- are SECURITY DEFINER) is not subject to row level security, so the refresh still writes every
-- merchant's rows.

CREATE OR REPLACE FUNCTION ops.enable_reader_scope(target regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    table_name text;
BEGIN
    SELECT c.relname INTO table_name
    FROM pg_catalog.pg_class AS c
    WHERE c.oid = target AND c.relkind IN ('r', 'p');
    IF table_name IS NULL THEN
        RAISE EXCEPTION '% is not a table (row level security applies to tables only)', target
            USING ERRCODE = 'wrong_object_type';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                   WHERE attrelid = target AND attname = 'merchant_id' AND NOT attisdropped) THEN
        RAISE EXCEPTION '% has no merchant_id column', target USING ERRCODE = 'undefined_column';
    END IF;

    EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    -- The same scope as the dw tables' policies; the sub-select makes it one call per query (an
    -- InitPlan), not one per row.
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy
                   WHERE polrelid = target AND polname = table_name || '_reader_scope') THEN
        EXECUTE pg_catalog.format(
            'CREATE POLICY %I ON %s AS PERMISSIVE FOR SELECT TO erp_reader '
            'USING (merchant_id = (SELECT ops.current_merchant_id()))',
            table_name || '_reader_scope', target);
    END IF;
    EXECUTE pg_catalog.format('GRANT SELECT ON %s TO erp_reader', target);
END
$$;

COMMENT ON FUNCTION ops.enable_reader_scope(regclass) IS
    'Enables row level security on a mart table with merchant_id, creates its policy <table>_reader_scope (erp_reader: merchant_id = ops.current_merchant_id()) and grants SELECT on it to erp_reader. Idempotent. Called by the sql/views files of the incremental aggregates, whose reader views are security_invoker.';
REVOKE EXECUTE ON FUNCTION ops.enable_reader_scope(regclass) FROM PUBLIC;

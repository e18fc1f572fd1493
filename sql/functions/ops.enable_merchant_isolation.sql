-- ops.enable_merchant_isolation: row level security and the reader/writer policies of one table with merchant_id.
-- requires: ops.current_merchant_id; roles erp_reader, erp_writer (0002_roles)
-- First created by 0010_merchant_isolation; migrations that add a merchant table call it; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

CREATE OR REPLACE FUNCTION ops.enable_merchant_isolation(target regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    table_name text;
BEGIN
    SELECT c.relname INTO table_name
    FROM pg_catalog.pg_class AS c
    WHERE c.oid = target;

    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                   WHERE attrelid = target AND attname = 'merchant_id' AND NOT attisdropped) THEN
        RAISE EXCEPTION '% has no merchant_id column', target USING ERRCODE = 'undefined_column';
    END IF;

    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);

    -- Readers: the rows of the transaction's merchant only. The function sits in a scalar
    -- sub-select so that it is evaluated once per query (an InitPlan), not once per row.
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy
                   WHERE polrelid = target AND polname = table_name || '_reader_scope') THEN
        EXECUTE format(
            'CREATE POLICY %I ON %s AS PERMISSIVE FOR SELECT TO erp_reader '
            'USING (merchant_id = (SELECT ops.current_merchant_id()))',
            table_name || '_reader_scope', target);
    END IF;

    -- Writers ingest for every merchant.
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy
                   WHERE polrelid = target AND polname = table_name || '_writer_all') THEN
        EXECUTE format(
            'CREATE POLICY %I ON %s AS PERMISSIVE FOR ALL TO erp_writer USING (true) WITH CHECK (true)',
            table_name || '_writer_all', target);
    END IF;
END
$$;

COMMENT ON FUNCTION ops.enable_merchant_isolation(regclass) IS
    'Enables row level security on a table with merchant_id and creates its policies <table>_reader_scope (erp_reader: merchant_id = ops.current_merchant_id()) and <table>_writer_all (erp_writer: everything). Idempotent. Every migration that adds such a table calls it.';
REVOKE EXECUTE ON FUNCTION ops.enable_merchant_isolation(regclass) FROM PUBLIC;

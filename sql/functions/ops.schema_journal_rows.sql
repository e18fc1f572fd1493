-- ops.schema_journal_rows: the migration journal for every warehouse login, so that an app connecting as a reader or
-- writer can tell whether the database's schema matches its Erp.Db (ErpDatabase.SchemaStatusAsync and the health check,
-- docs/library.md) without read access to ops.schema_journal, which readers may not have (no reader reads ops tables).
-- requires: ops.schema_journal (0001_schemas), erp_reader and erp_writer (0002_roles)
-- The journal holds which scripts ran, their checksums, when, for how long, the login and the erpdb version that ran
-- them and the migrate variables they used: nothing of any merchant (login names are in pg_roles for every login anyway),
-- so it is in the allowed functions of ops.merchant_isolation_problems(). The whole rows, so that the library reads them
-- as it reads the table (Erp.Db's JournalSql), the columns erpdb adds to an older journal included.

CREATE OR REPLACE FUNCTION ops.schema_journal_rows()
RETURNS SETOF ops.schema_journal
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT * FROM ops.schema_journal
$$;

COMMENT ON FUNCTION ops.schema_journal_rows() IS
    'Every row of ops.schema_journal (the scripts erpdb migrate applied: names, checksums, times, erpdb versions; no merchant data), for logins that may not read the table: readers and writers compare it with the scripts of their Erp.Db (ErpDatabase.SchemaStatusAsync, the health check).';
REVOKE EXECUTE ON FUNCTION ops.schema_journal_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.schema_journal_rows() TO erp_reader, erp_writer;

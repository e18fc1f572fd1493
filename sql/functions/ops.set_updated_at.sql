-- ops.set_updated_at: BEFORE UPDATE row trigger that maintains updated_at.
-- requires: schema ops (0001_schemas)
-- First created by 0003_ops_support; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

CREATE OR REPLACE FUNCTION ops.set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- now() is the transaction start: every row touched by one ingest batch gets the same stamp,
    -- which is what "changed since the last refresh" comparisons want.
    NEW.updated_at := pg_catalog.now();
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION ops.set_updated_at() IS
    'BEFORE UPDATE row trigger: sets NEW.updated_at to the transaction timestamp. The only updated_at trigger function; attach it as <table>_set_updated_at.';
REVOKE EXECUTE ON FUNCTION ops.set_updated_at() FROM PUBLIC;

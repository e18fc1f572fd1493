-- 0003_ops_support: the one trigger function that maintains updated_at on every mutable table.
-- requires: 0001_schemas (schema ops), 0002_roles (erp_owner)
-- It lives in a migration, not in sql/functions, because the tables of the following migrations
-- attach their triggers to it and migrations run before the repeatable functions.

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

-- Trigger functions need no EXECUTE grant to fire (the privilege is checked at CREATE TRIGGER only).
REVOKE EXECUTE ON FUNCTION ops.set_updated_at() FROM PUBLIC;

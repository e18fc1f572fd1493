-- 0002_roles: the three group roles of the warehouse and who may touch which layer.
-- requires: 0001_schemas
-- Roles are cluster-wide, so they are created only when absent; a DBA grants them to logins.
--   erp_owner  owns every object (the runner runs each later script as erp_owner)
--   erp_writer ingests into staging and dw, and may call the refresh functions
--   erp_reader reads what BI needs, scoped to one merchant (docs/merchant-isolation.md)

DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['erp_owner', 'erp_writer', 'erp_reader'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
        END IF;
    END LOOP;
END
$$;

COMMENT ON ROLE erp_owner IS 'Erp.Db: owns every warehouse object; the migrating login must be a member.';
COMMENT ON ROLE erp_writer IS 'Erp.Db: ingests into staging and dw, calls refresh functions.';
COMMENT ON ROLE erp_reader IS 'Erp.Db: read-only BI access, limited to the merchants granted in ops.merchant_access.';

-- The migrating login becomes a member of erp_owner so that the runner can SET ROLE to it.
DO $$
BEGIN
    IF NOT pg_catalog.pg_has_role(session_user, 'erp_owner', 'MEMBER') THEN
        EXECUTE format('GRANT erp_owner TO %I', session_user);
    END IF;
    EXECUTE format('GRANT CREATE, CONNECT, TEMPORARY ON DATABASE %I TO erp_owner', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO erp_writer, erp_reader', current_database());
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO erp_writer', current_database());
END
$$;

ALTER SCHEMA staging OWNER TO erp_owner;
ALTER SCHEMA dw OWNER TO erp_owner;
ALTER SCHEMA mart OWNER TO erp_owner;
ALTER SCHEMA ops OWNER TO erp_owner;
ALTER TABLE ops.schema_journal OWNER TO erp_owner;

-- Nobody but the owner creates objects in public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

GRANT USAGE ON SCHEMA staging, dw TO erp_writer;
GRANT USAGE ON SCHEMA dw, mart TO erp_reader;
-- ops is reached only through SECURITY DEFINER functions that grant EXECUTE one by one.
GRANT USAGE ON SCHEMA ops TO erp_writer, erp_reader;
REVOKE ALL ON ops.schema_journal FROM PUBLIC;

-- 0010_merchant_isolation: merchant isolation in the database (docs/merchant-isolation.md):
-- ops.merchant_access (which login may see which merchant), ops.current_merchant_id() (the
-- merchant of the current transaction), row level security on every dw table with merchant_id,
-- and the grants of erp_writer and erp_reader, including default privileges for later tables.
-- requires: 0002_roles (erp_owner, erp_writer, erp_reader), 0004..0009 (the dw and staging tables)

------------------------------------------------------------------------------------------------
-- ops.merchant_access
------------------------------------------------------------------------------------------------
CREATE TABLE ops.merchant_access (
    access_id    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    role_name    name        NOT NULL,
    merchant_id  bigint,
    granted_at   timestamptz NOT NULL DEFAULT now(),
    granted_by   text        NOT NULL DEFAULT session_user,
    CONSTRAINT merchant_access_role_merchant_unique UNIQUE NULLS NOT DISTINCT (role_name, merchant_id),
    -- Every reader login is a member of erp_reader: a row for it would open the merchant to all.
    CONSTRAINT merchant_access_not_a_group_role CHECK (role_name NOT IN ('erp_reader', 'erp_owner', 'public'))
);

COMMENT ON TABLE ops.merchant_access IS 'Which roles may see which merchant''s rows. A session may see the merchants of the rows whose role_name its login (session_user) is a member of. Rows are inserted and deleted, never updated; use ops.grant_merchant_access / ops.revoke_merchant_access.';
COMMENT ON COLUMN ops.merchant_access.role_name IS 'A login or a group role; membership is checked with pg_has_role(session_user, role_name, ''MEMBER''). A row whose role no longer exists is ignored.';
COMMENT ON COLUMN ops.merchant_access.merchant_id IS 'The merchant the role may see; NULL = any merchant, chosen per transaction with set_config(''erp.merchant_id'', ..., true) (for trusted app logins). No foreign key: access may be granted before the merchant''s data is loaded.';

REVOKE ALL ON ops.merchant_access FROM PUBLIC;

------------------------------------------------------------------------------------------------
-- ops.current_merchant_id()
------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ops.current_merchant_id()
RETURNS bigint
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    requested_text text := nullif(btrim(current_setting('erp.merchant_id', true)), '');
    requested      bigint;
    only_merchant  bigint;
BEGIN
    IF requested_text IS NOT NULL THEN
        -- A bad setting never raises (it would break every query): it scopes to nothing.
        IF requested_text !~ '^[0-9]{1,18}$' THEN
            RETURN NULL;
        END IF;
        requested := requested_text::bigint;

        -- The requested merchant must be granted to the login, or the login must hold an "any" row.
        -- Joining pg_roles first makes a row of a dropped role simply not match.
        IF EXISTS (
            SELECT 1
            FROM ops.merchant_access AS a
            JOIN pg_catalog.pg_roles AS r ON r.rolname = a.role_name
            WHERE (a.merchant_id = requested OR a.merchant_id IS NULL)
              AND pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER')
        ) THEN
            RETURN requested;
        END IF;
        RETURN NULL;
    END IF;

    -- No setting: a login scoped to exactly one merchant needs none.
    SELECT min(a.merchant_id)
    INTO only_merchant
    FROM ops.merchant_access AS a
    JOIN pg_catalog.pg_roles AS r ON r.rolname = a.role_name
    WHERE a.merchant_id IS NOT NULL
      AND pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER')
    HAVING count(DISTINCT a.merchant_id) = 1;

    RETURN only_merchant;
END
$$;

COMMENT ON FUNCTION ops.current_merchant_id() IS
    'The merchant the current transaction may see, or NULL (then merchant_id = ops.current_merchant_id() matches nothing). Reads erp.merchant_id (set per transaction with set_config(''erp.merchant_id'', ''42'', true)) and checks it against ops.merchant_access for session_user; without a setting, the login''s only granted merchant. SECURITY DEFINER so that callers need no access to ops.merchant_access.';

REVOKE EXECUTE ON FUNCTION ops.current_merchant_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.current_merchant_id() TO erp_reader, erp_writer;

------------------------------------------------------------------------------------------------
-- DBA helpers (run as erp_owner or a superuser; not granted to anyone else)
------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ops.grant_merchant_access(grantee name, merchant bigint)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    inserted integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = grantee) THEN
        RAISE EXCEPTION 'role "%" does not exist', grantee USING ERRCODE = 'undefined_object';
    END IF;
    IF merchant IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM dw.dim_merchants WHERE merchant_id = merchant) THEN
        RAISE NOTICE 'merchant % is not (yet) in dw.dim_merchants; access granted anyway', merchant;
    END IF;

    INSERT INTO ops.merchant_access (role_name, merchant_id)
    VALUES (grantee, merchant)
    ON CONFLICT ON CONSTRAINT merchant_access_role_merchant_unique DO NOTHING;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    RETURN inserted = 1;
END
$$;

COMMENT ON FUNCTION ops.grant_merchant_access(name, bigint) IS
    'Lets role grantee (a login or group) see merchant (NULL = any merchant, chosen per transaction). Returns false if the grant already existed.';

CREATE OR REPLACE FUNCTION ops.revoke_merchant_access(grantee name, merchant bigint)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    deleted integer;
BEGIN
    DELETE FROM ops.merchant_access
    WHERE role_name = grantee
      AND merchant_id IS NOT DISTINCT FROM merchant;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted > 0;
END
$$;

COMMENT ON FUNCTION ops.revoke_merchant_access(name, bigint) IS
    'Removes the grant of merchant (NULL = the "any merchant" grant) from role grantee. Returns false if there was none.';

REVOKE EXECUTE ON FUNCTION ops.grant_merchant_access(name, bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ops.revoke_merchant_access(name, bigint) FROM PUBLIC;

------------------------------------------------------------------------------------------------
-- Row level security
------------------------------------------------------------------------------------------------
-- ops.enable_merchant_isolation(table): the one definition of the two policies, for the tables
-- below and for every later migration that adds a dw table with merchant_id.
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

-- Every ordinary or partitioned dw table with a merchant_id column (partitions are handled below).
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN
        SELECT c.oid::regclass
        FROM pg_catalog.pg_class AS c
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'merchant_id' AND NOT a.attisdropped
        WHERE n.nspname = 'dw'
          AND c.relkind IN ('r', 'p')
          AND NOT c.relispartition
        ORDER BY c.relname
    LOOP
        PERFORM ops.enable_merchant_isolation(t);
    END LOOP;
END
$$;

------------------------------------------------------------------------------------------------
-- Grants
------------------------------------------------------------------------------------------------
-- Schema USAGE was granted in 0002_roles (staging, dw to erp_writer; dw, mart to erp_reader;
-- ops to both, where they may only execute what is granted one by one).

-- erp_writer: reads and writes staging and dw, nothing in ops.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA staging, dw TO erp_writer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA staging, dw TO erp_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE erp_owner IN SCHEMA staging, dw
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO erp_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE erp_owner IN SCHEMA staging, dw
    GRANT USAGE ON SEQUENCES TO erp_writer;

-- erp_reader: reads dw (row level security limits the rows), nothing in staging, writes nowhere.
GRANT SELECT ON ALL TABLES IN SCHEMA dw TO erp_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE erp_owner IN SCHEMA dw
    GRANT SELECT ON TABLES TO erp_reader;

-- Partitions: row level security applies to the table named in the query. Read through the
-- parent, the parent's policies apply; read directly, a partition would be unprotected. So nobody
-- but the owner may touch a partition directly (access through the parent needs no privilege on
-- the partition), and RLS is enabled on it without policies (deny all) as a second lock.
-- dw.ensure_partitions (0011) does the same for every partition it creates.
DO $$
DECLARE
    p regclass;
BEGIN
    FOR p IN
        SELECT c.oid::regclass
        FROM pg_catalog.pg_class AS c
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'dw' AND c.relkind IN ('r', 'p') AND c.relispartition
    LOOP
        EXECUTE format('REVOKE ALL ON %s FROM PUBLIC, erp_writer, erp_reader', p);
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p);
    END LOOP;
END
$$;

------------------------------------------------------------------------------------------------
-- A check for erpdb verify and tests: what would break isolation
------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ops.merchant_isolation_problems()
RETURNS TABLE (object_name text, problem text)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    -- dw tables with merchant_id but without row level security or without the reader policy
    SELECT format('%I.%I', n.nspname, c.relname), 'row level security is not enabled'
    FROM pg_catalog.pg_class AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname = 'dw' AND c.relkind IN ('r', 'p')
      AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
                  WHERE a.attrelid = c.oid AND a.attname = 'merchant_id' AND NOT a.attisdropped)
      AND NOT c.relrowsecurity
    UNION ALL
    SELECT format('%I.%I', n.nspname, c.relname), 'no policy ' || c.relname || '_reader_scope'
    FROM pg_catalog.pg_class AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname = 'dw' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
                  WHERE a.attrelid = c.oid AND a.attname = 'merchant_id' AND NOT a.attisdropped)
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy AS p
                      WHERE p.polrelid = c.oid AND p.polname = c.relname || '_reader_scope')
    UNION ALL
    -- partitions erp_reader or erp_writer could read directly
    SELECT format('%I.%I', n.nspname, c.relname), 'partition is directly readable by ' || r.rolname
    FROM pg_catalog.pg_class AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    CROSS JOIN (VALUES ('erp_reader'::name), ('erp_writer'::name)) AS r(rolname)
    WHERE n.nspname = 'dw' AND c.relkind IN ('r', 'p') AND c.relispartition
      AND pg_catalog.has_table_privilege(r.rolname, c.oid, 'SELECT')
    UNION ALL
    -- erp_reader must not read staging or ops, nor write anywhere
    SELECT format('%I.%I', n.nspname, c.relname), 'erp_reader has ' || priv.name
    FROM pg_catalog.pg_class AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) AS priv(name)
    WHERE n.nspname IN ('staging', 'dw', 'ops', 'mart') AND c.relkind IN ('r', 'p')
      AND (priv.name <> 'SELECT' OR n.nspname IN ('staging', 'ops'))
      AND pg_catalog.has_table_privilege('erp_reader', c.oid, priv.name)
    ORDER BY 1, 2
$$;

COMMENT ON FUNCTION ops.merchant_isolation_problems() IS
    'Lists what would let a scoped reader see another merchant''s rows or write: dw tables with merchant_id lacking RLS or the reader policy, partitions readable directly, reader privileges on staging/ops or write privileges. Empty = fine.';

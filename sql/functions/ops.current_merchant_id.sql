-- ops.current_merchant_id: the merchant the current transaction may see (reader views and row level security filter by it).
-- requires: ops.merchant_access (0010_merchant_isolation); roles erp_owner, erp_reader, erp_writer (0002_roles)
-- First created by 0010_merchant_isolation, redefined by 0013_owner_scopes_any_merchant; this file is its live definition.
-- Requires ops.merchant_access.role_oid (0049_merchant_access_by_role_oid).
-- Same signature only: see docs/migrations.md (changing a function's signature).
-- Every reader view and policy calls it once per statement (an InitPlan: `(SELECT ops.current_merchant_id())`),
-- so it is kept cheap: no join with pg_roles, one membership test per matching grant. It cannot be an
-- inlinable SQL function: it reads ops.merchant_access, which readers may not, so it must be SECURITY
-- DEFINER, and PostgreSQL inlines neither those nor functions whose body reads a table.

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

        -- The owner may name any merchant.
        IF pg_catalog.pg_has_role(session_user, 'erp_owner', 'MEMBER') THEN
            RETURN requested;
        END IF;

        -- Otherwise the merchant must be granted to the login, or the login must hold an "any" row.
        -- Only those rows are checked, each with one membership test. A grant counts while a role of
        -- its name has its oid: a role dropped and created again under the name (roles are
        -- cluster-wide) has another oid and does not inherit the old one's grants.
        IF EXISTS (
            SELECT 1
            FROM ops.merchant_access AS a
            WHERE (a.merchant_id = requested OR a.merchant_id IS NULL)
              AND pg_catalog.to_regrole(pg_catalog.quote_ident(a.role_name)) = a.role_oid
              AND pg_catalog.pg_has_role(session_user, a.role_oid, 'MEMBER')
        ) THEN
            RETURN requested;
        END IF;
        RETURN NULL;
    END IF;

    -- No setting: a login scoped to exactly one merchant needs none.
    SELECT min(a.merchant_id)
    INTO only_merchant
    FROM ops.merchant_access AS a
    WHERE a.merchant_id IS NOT NULL
      AND pg_catalog.to_regrole(pg_catalog.quote_ident(a.role_name)) = a.role_oid
      AND pg_catalog.pg_has_role(session_user, a.role_oid, 'MEMBER')
    HAVING count(DISTINCT a.merchant_id) = 1;

    RETURN only_merchant;
END
$$;

COMMENT ON FUNCTION ops.current_merchant_id() IS
    'The merchant the current transaction may see, or NULL (then merchant_id = ops.current_merchant_id() matches nothing). Reads erp.merchant_id (set per transaction with set_config(''erp.merchant_id'', ''42'', true)); members of erp_owner may name any merchant, other logins only those ops.merchant_access grants them; without a setting, the login''s only granted merchant. SECURITY DEFINER so that callers need no access to ops.merchant_access.';
REVOKE EXECUTE ON FUNCTION ops.current_merchant_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.current_merchant_id() TO erp_reader, erp_writer;

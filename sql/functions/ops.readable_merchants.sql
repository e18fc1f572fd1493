-- ops.readable_merchants: the merchants the caller may name in erp.merchant_id, with their code and
-- name, so that a login granted several merchants can list them and name one by its code.
-- requires: ops.merchant_access (0010_merchant_isolation, role_oid since 0049), dw.dim_merchants,
--           roles erp_owner, erp_reader, erp_writer (0002_roles)
-- A reader sees dw.dim_merchants' row of the merchant its transaction is scoped to only, and none
-- before it names one: a login granted one merchant is scoped to it without naming it
-- (ops.current_merchant_id), but a login granted several saw no merchant at all, so it could not
-- learn which ids or codes it may use. The rule is ops.current_merchant_id()'s, asked of every
-- merchant at once: the owner and a grant of any merchant (merchant_id NULL) name every merchant,
-- other logins the merchants granted to a role of theirs whose oid still matches the grant's.
-- It returns nothing of a merchant the caller may not name, so it tells a reader no more than its
-- grants.

CREATE OR REPLACE FUNCTION ops.readable_merchants()
RETURNS TABLE (merchant_id bigint, merchant_code text, merchant_name text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH grants AS (
        SELECT a.merchant_id
        FROM ops.merchant_access AS a
        WHERE pg_catalog.to_regrole(pg_catalog.quote_ident(a.role_name)) = a.role_oid
          AND pg_catalog.pg_has_role(session_user, a.role_oid, 'MEMBER')
    ),
    every_merchant AS (
        SELECT pg_catalog.pg_has_role(session_user, 'erp_owner', 'MEMBER')
               OR EXISTS (SELECT 1 FROM grants AS g WHERE g.merchant_id IS NULL) AS yes
    )
    SELECT m.merchant_id, m.merchant_code, m.merchant_name
    FROM dw.dim_merchants AS m
    CROSS JOIN every_merchant AS e
    WHERE e.yes OR m.merchant_id IN (SELECT g.merchant_id FROM grants AS g)
    ORDER BY m.merchant_id
$$;

COMMENT ON FUNCTION ops.readable_merchants() IS
    'The merchants the caller may name in erp.merchant_id (every one for the owner and a grant of any merchant, else those ops.merchant_access grants a role of the caller), with code and name. SECURITY DEFINER: a reader sees no dw.dim_merchants row before it names a merchant.';
REVOKE EXECUTE ON FUNCTION ops.readable_merchants() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.readable_merchants() TO erp_reader, erp_writer;

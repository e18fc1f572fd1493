-- ops.revoke_merchant_access: takes back what ops.grant_merchant_access granted.
-- requires: ops.merchant_access (0010_merchant_isolation)
-- First created by 0010_merchant_isolation; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

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
REVOKE EXECUTE ON FUNCTION ops.revoke_merchant_access(name, bigint) FROM PUBLIC;

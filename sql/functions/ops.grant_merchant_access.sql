-- ops.grant_merchant_access: lets a login or group role see one merchant (or any, with NULL).
-- requires: ops.merchant_access (0010_merchant_isolation)
-- First created by 0010_merchant_isolation; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

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
REVOKE EXECUTE ON FUNCTION ops.grant_merchant_access(name, bigint) FROM PUBLIC;

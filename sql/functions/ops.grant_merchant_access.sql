-- ops.grant_merchant_access: lets a login or group role see one merchant (or any, with NULL).
-- requires: ops.merchant_access (0010_merchant_isolation)
-- First created by 0010_merchant_isolation; this file is its live definition. Requires role_oid (0049).
-- Same signature only: see docs/migrations.md (changing a function's signature).

CREATE OR REPLACE FUNCTION ops.grant_merchant_access(grantee name, merchant bigint)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    grantee_oid oid := pg_catalog.to_regrole(pg_catalog.quote_ident(grantee));
    changed     integer;
BEGIN
    IF grantee_oid IS NULL THEN
        RAISE EXCEPTION 'role "%" does not exist', grantee USING ERRCODE = 'undefined_object';
    END IF;
    IF merchant IS NOT NULL AND pg_catalog.pg_has_role(grantee_oid, 'erp_writer', 'MEMBER') THEN
        RAISE WARNING 'role "%" is a member of erp_writer, which reads and writes every merchant''s rows: this grant scopes its queries through the reader views to merchant %, not its access to the tables', grantee, merchant
            USING HINT = 'Give a login that must see one merchant only erp_reader.';
    END IF;
    IF merchant IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM dw.dim_merchants WHERE merchant_id = merchant) THEN
        RAISE NOTICE 'merchant % is not (yet) in dw.dim_merchants; access granted anyway', merchant;
    END IF;

    -- A row left by a dropped role of the same name (another oid) is void: it is given to this one.
    INSERT INTO ops.merchant_access AS a (role_name, role_oid, merchant_id)
    VALUES (grantee, grantee_oid, merchant)
    ON CONFLICT ON CONSTRAINT merchant_access_role_merchant_unique DO UPDATE
        SET role_oid = EXCLUDED.role_oid, granted_at = EXCLUDED.granted_at, granted_by = EXCLUDED.granted_by
        WHERE a.role_oid <> EXCLUDED.role_oid;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed = 1;
END
$$;

COMMENT ON FUNCTION ops.grant_merchant_access(name, bigint) IS
    'Lets role grantee (a login or group) see merchant (NULL = any merchant, chosen per transaction). Returns false if the grant already existed. The grant is the role''s, by oid: dropping the role voids it.';
REVOKE EXECUTE ON FUNCTION ops.grant_merchant_access(name, bigint) FROM PUBLIC;

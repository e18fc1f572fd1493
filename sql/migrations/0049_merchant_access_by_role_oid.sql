-- 0049_merchant_access_by_role_oid: a merchant grant belongs to the role it was given to, not to
-- its name. Roles are cluster-wide: a login dropped and created again under the same name (or one
-- of that name created for another database of the cluster) found the old role's grants and saw
-- its merchants. Each grant now records the role's oid, and ops.current_merchant_id() and
-- ops.view_epochs() count a grant only while a role of that name still has that oid; dropping the
-- role (or renaming it) voids its grants, and ops.grant_merchant_access() gives them anew.
-- requires: 0010_merchant_isolation (ops.merchant_access)

ALTER TABLE ops.merchant_access ADD COLUMN role_oid oid;

-- Grants of roles that no longer exist are void: they must not come back with a new role of the name.
DELETE FROM ops.merchant_access WHERE pg_catalog.to_regrole(pg_catalog.quote_ident(role_name)) IS NULL;
UPDATE ops.merchant_access SET role_oid = pg_catalog.to_regrole(pg_catalog.quote_ident(role_name));

ALTER TABLE ops.merchant_access ALTER COLUMN role_oid SET NOT NULL;

COMMENT ON COLUMN ops.merchant_access.role_name IS 'A login or a group role; membership is checked with pg_has_role(session_user, role_oid, ''MEMBER''), while a role of this name has role_oid.';
COMMENT ON COLUMN ops.merchant_access.role_oid IS 'The oid of the role when it was granted. A role dropped, or renamed, voids the grant: one created again under the name has another oid and sees nothing until granted anew.';

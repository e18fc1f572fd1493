-- ops.config_changed: statement trigger on the A-class config tables: recomputes the C-class
-- results of the merchants whose rows the statement changed.
-- requires: ops.recompute_c_class; the triggers of ops.enable_view_invalidation (transition
--           tables changed_old / changed_new)
-- First created by 0012_refresh_registry; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

CREATE OR REPLACE FUNCTION ops.config_changed()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    merchants bigint[];
BEGIN
    -- The recompute function is repeatable (sql/functions) and may not exist yet while the first
    -- migrate of a database runs; then the first due refresh computes the results.
    IF pg_catalog.to_regprocedure('ops.recompute_c_class(text,bigint[])') IS NULL THEN
        RETURN NULL;
    END IF;
    -- The merchants of the old and new rows (an update may move a row to another merchant).
    IF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(DISTINCT n.merchant_id) INTO merchants FROM changed_new AS n;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT pg_catalog.array_agg(DISTINCT c.merchant_id) INTO merchants
        FROM (SELECT o.merchant_id FROM changed_old AS o UNION SELECT n.merchant_id FROM changed_new AS n) AS c;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.array_agg(DISTINCT o.merchant_id) INTO merchants FROM changed_old AS o;
    ELSE
        -- TRUNCATE has no transition table: every merchant.
        PERFORM ops.recompute_c_class('config:' || TG_TABLE_NAME, NULL);
        RETURN NULL;
    END IF;
    -- A statement that changed no row recomputes nothing.
    IF merchants IS NOT NULL THEN
        PERFORM ops.recompute_c_class('config:' || TG_TABLE_NAME, merchants);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.config_changed() IS
    'AFTER ... FOR EACH STATEMENT trigger on dw.cfg_* tables: recomputes the C-class results in mart (ops.recompute_c_class) for the merchants of the changed rows (transition tables changed_old/changed_new); for every merchant after TRUNCATE.';
REVOKE EXECUTE ON FUNCTION ops.config_changed() FROM PUBLIC;

-- ops.drop_mart_relation: drops a mart relation by name, whatever it is now (a materialized view,
-- or the table of an incremental aggregate), with CASCADE; nothing when it does not exist.
-- requires: nothing
-- The sql/views files of incremental aggregates start with it: the same name was a materialized
-- view before 0027_incremental_aggregates, and DROP MATERIALIZED VIEW / DROP TABLE each refuse
-- the other kind. CASCADE takes the reader view, the compute function (it returns the table's
-- row type) and whatever reads the relation; migrate re-creates those from their own files.

CREATE OR REPLACE FUNCTION ops.drop_mart_relation(relation_name text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind "char";
BEGIN
    SELECT c.relkind INTO kind FROM pg_catalog.pg_class AS c
    WHERE c.oid = pg_catalog.to_regclass(relation_name) AND c.relnamespace = 'mart'::regnamespace;
    IF kind = 'm' THEN
        EXECUTE pg_catalog.format('DROP MATERIALIZED VIEW %s CASCADE', pg_catalog.to_regclass(relation_name));
    ELSIF kind = 'r' THEN
        EXECUTE pg_catalog.format('DROP TABLE %s CASCADE', pg_catalog.to_regclass(relation_name));
    ELSIF kind IS NOT NULL THEN
        RAISE EXCEPTION 'ops.drop_mart_relation: % is neither a materialized view nor a table', relation_name
            USING ERRCODE = 'wrong_object_type';
    END IF;
END
$$;

COMMENT ON FUNCTION ops.drop_mart_relation(text) IS
    'Drops a mart materialized view or incremental aggregate table by name with CASCADE, whichever it is; nothing if absent. Used by sql/views files during migrate.';
REVOKE EXECUTE ON FUNCTION ops.drop_mart_relation(text) FROM PUBLIC;

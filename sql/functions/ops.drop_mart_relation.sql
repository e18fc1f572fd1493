-- ops.drop_mart_relation: drops a mart relation by name, whatever it is now (a materialized view,
-- or the table of an incremental aggregate), with CASCADE; nothing when it does not exist.
-- requires: ops.relation_lock_holders
-- The sql/views files of incremental aggregates start with it: the same name was a materialized
-- view before 0027_incremental_aggregates, and DROP MATERIALIZED VIEW / DROP TABLE each refuse
-- the other kind. CASCADE takes the reader view, the compute function (it returns the table's
-- row type) and whatever reads the relation; migrate re-creates those from their own files.
-- Readers lock a reader view before the relation under it; the drop locks the relation first and
-- then each view over it. Waiting on a reader while more readers queued, it deadlocked (one of them
-- holding the view and waiting for the relation, the drop holding the relation and waiting for the
-- view), and new readers waited as long as the first one held on. So the drop tries for half a
-- second at a time (below deadlock_timeout's default second), under a savepoint, and lets go of
-- what it took between tries: a reader waits at most that long, and the drop goes through at the
-- first moment no reader holds the relation or a view over it. After a minute it fails naming
-- the holders (docs/view-rebuilds.md, "Readers during a rebuild").

CREATE OR REPLACE FUNCTION ops.drop_mart_relation(relation_name text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    relation  constant regclass := pg_catalog.to_regclass(relation_name);
    kind      "char";
    holders   text;
BEGIN
    SELECT c.relkind INTO kind FROM pg_catalog.pg_class AS c
    WHERE c.oid = relation AND c.relnamespace = 'mart'::regnamespace;
    IF kind IS NULL THEN
        RETURN;
    ELSIF kind NOT IN ('m', 'r') THEN
        RAISE EXCEPTION 'ops.drop_mart_relation: % is neither a materialized view nor a table', relation_name
            USING ERRCODE = 'wrong_object_type';
    END IF;
    FOR attempt IN 1..80 LOOP
        BEGIN
            -- Local to this subtransaction: undone by its end, the caller's lock_timeout holds again.
            PERFORM pg_catalog.set_config('lock_timeout', '500ms', true);
            EXECUTE pg_catalog.format('DROP %s %s CASCADE', CASE kind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, relation);
            RETURN;
        EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
            PERFORM pg_catalog.pg_sleep(0.25);
        END;
    END LOOP;
    SELECT pg_catalog.string_agg(h.description, '; ') INTO holders
    FROM ops.relation_lock_holders(
        ARRAY(SELECT relation
              UNION
              SELECT DISTINCT w.ev_class::regclass FROM pg_catalog.pg_depend AS d JOIN pg_catalog.pg_rewrite AS w ON w.oid = d.objid
              WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refobjid = relation AND w.ev_class <> relation),
        ARRAY['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock',
              'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock']) AS h;
    RAISE EXCEPTION 'could not rebuild %: for a minute other sessions held it or a view over it: %', relation,
        coalesce(holders, 'sessions that have let go by now')
        USING ERRCODE = 'lock_not_available',
              HINT = 'Run erpdb migrate again when they are done, or end them (SELECT pg_terminate_backend(pid)).';
END
$$;

COMMENT ON FUNCTION ops.drop_mart_relation(text) IS
    'Drops a mart materialized view or incremental aggregate table by name with CASCADE, whichever it is; nothing if absent. Tries half a second at a time for up to a minute, so that readers are never held up longer nor deadlock with it, then fails naming who holds it. Used by sql/views files during migrate.';
REVOKE EXECUTE ON FUNCTION ops.drop_mart_relation(text) FROM PUBLIC;

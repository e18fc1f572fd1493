-- ops.register_view: registers (upserts) a materialized view in ops.mv_registry; every
-- sql/views file calls it right after creating its view.
-- requires: ops.mv_registry, ops.mv_refresh_log, ops.mv_invalidations (0012_refresh_registry)
-- What the view reads (depends_on, reads) comes from the catalog, not from the caller, so the
-- registry can never disagree with the view's SQL. depends_on holds the materialized views and
-- the registered incremental aggregates (tables, e.g. mart.mv_daily_sales) it reads.
-- Like ops.refresh_view it clears only the dirty marks the view's data covers: those of
-- transactions visible in the snapshot the migration runner records at the start of the script
-- (erpdb.script_snapshot, taken before CREATE ... WITH DATA), or in the transaction snapshot
-- under REPEATABLE READ; a write committed while the view was being built keeps it dirty.

CREATE OR REPLACE FUNCTION ops.register_view(
    view_name text,
    refresh_interval interval,
    stale_after interval,
    refresh_concurrently boolean DEFAULT true,
    description text DEFAULT NULL)
RETURNS ops.mv_registry
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel         regclass := pg_catalog.to_regclass(register_view.view_name);
    read_names  text[];
    mv_names    text[];
    row_count   bigint;
    registered  ops.mv_registry;
    covered     pg_catalog.pg_snapshot;
BEGIN
    IF rel IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = rel AND relkind = 'm') THEN
        RAISE EXCEPTION 'ops.register_view: % is not a materialized view', register_view.view_name
            USING ERRCODE = 'wrong_object_type';
    END IF;

    -- Every relation the view's rewrite rule references, schema-qualified.
    SELECT coalesce(pg_catalog.array_agg(DISTINCT pg_catalog.format('%I.%I', n.nspname, c.relname)), '{}'),
           coalesce(pg_catalog.array_agg(DISTINCT pg_catalog.format('%I.%I', n.nspname, c.relname)) 
               FILTER (WHERE c.relkind = 'm' OR EXISTS (SELECT 1 FROM ops.mv_registry AS g
                                                        WHERE g.view_name = pg_catalog.format('%I.%I', n.nspname, c.relname))), '{}')
    INTO read_names, mv_names
    FROM pg_catalog.pg_rewrite AS r
    JOIN pg_catalog.pg_depend AS d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
    JOIN pg_catalog.pg_class AS c ON c.oid = d.refobjid AND d.refclassid = 'pg_catalog.pg_class'::regclass
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE r.ev_class = rel AND c.oid <> rel;

    EXECUTE pg_catalog.format('SELECT count(*) FROM %s', rel) INTO row_count;

    INSERT INTO ops.mv_registry AS m (view_name, refresh_interval, refresh_concurrently, stale_after, depends_on, reads,
                                      description, last_success_at, last_row_count, consecutive_failures)
    VALUES (register_view.view_name, register_view.refresh_interval, register_view.refresh_concurrently, register_view.stale_after,
            mv_names, read_names, register_view.description, pg_catalog.now(), row_count, 0)
    ON CONFLICT ON CONSTRAINT mv_registry_pkey DO UPDATE
        SET refresh_interval = EXCLUDED.refresh_interval,
            refresh_concurrently = EXCLUDED.refresh_concurrently,
            stale_after = EXCLUDED.stale_after,
            depends_on = EXCLUDED.depends_on,
            reads = EXCLUDED.reads,
            description = EXCLUDED.description,
            last_success_at = EXCLUDED.last_success_at,
            last_row_count = EXCLUDED.last_row_count,
            consecutive_failures = 0,
            retry_after = NULL,
            view_kind = 'materialized',
            compute_function = NULL,
            bucket_column = NULL,
            bucket_width = NULL
    RETURNING * INTO registered;

    -- The view was just created WITH DATA in this transaction, from a snapshot that is not at hand
    -- here under READ COMMITTED (each statement has its own). A snapshot taken before the CREATE
    -- saw less: the marks of the transactions it saw are covered. Without one, marks are kept
    -- (the next due refresh refreshes the view once more), never dropped unseen.
    covered := CASE
        WHEN pg_catalog.current_setting('transaction_isolation') IN ('repeatable read', 'serializable')
            THEN pg_catalog.pg_current_snapshot()
        ELSE NULLIF(pg_catalog.current_setting('erpdb.script_snapshot', true), '')::pg_catalog.pg_snapshot
    END;
    DELETE FROM ops.mv_invalidations AS i
    WHERE i.view_name = register_view.view_name
      AND (pg_catalog.pg_visible_in_snapshot(i.xid, covered)
           -- This transaction's own earlier writes are in the view too.
           OR i.xid = pg_catalog.pg_current_xact_id_if_assigned());
    INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, row_count, status, was_concurrent, refresh_trigger)
    VALUES (register_view.view_name, pg_catalog.now(), pg_catalog.clock_timestamp(),
            pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - pg_catalog.now()) * 1000)::numeric, 3),
            row_count, 'succeeded', false, 'migrate');
    RETURN registered;
END
$$;

COMMENT ON FUNCTION ops.register_view(text, interval, interval, boolean, text) IS
    'Upserts a materialized view into ops.mv_registry with what it reads (from the catalog), clears the dirty marks its data covers and logs its creation (trigger migrate). Called by every sql/views file; runs as erp_owner during migrate.';
REVOKE EXECUTE ON FUNCTION ops.register_view(text, interval, interval, boolean, text) FROM PUBLIC;

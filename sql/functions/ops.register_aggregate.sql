-- ops.register_aggregate: registers (upserts) an incremental aggregate in ops.mv_registry; its
-- sql/views file calls it right after creating and filling the table (docs/refresh.md).
-- requires: ops.mv_registry, ops.mv_refresh_log, ops.mv_invalidations, ops.agg_invalidations (0027_incremental_aggregates)
-- What the aggregate reads comes from the catalog: the dependencies PostgreSQL records for its
-- compute function (a SQL-standard BEGIN ATOMIC body), so the registry cannot disagree with it.
-- Like ops.register_view it clears only the dirty marks and invalidated ranges the fill covers:
-- those of transactions visible in the snapshot recorded before the script ran.

CREATE OR REPLACE FUNCTION ops.register_aggregate(
    view_name text,
    compute_function regprocedure,
    bucket_column text,
    bucket_width text,
    refresh_interval interval,
    stale_after interval,
    description text DEFAULT NULL)
RETURNS ops.mv_registry
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel         regclass := pg_catalog.to_regclass(register_aggregate.view_name);
    read_names  text[];
    base_names  text[];
    row_count   bigint;
    registered  ops.mv_registry;
    covered     pg_catalog.pg_snapshot;
BEGIN
    IF rel IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = rel AND relkind = 'r') THEN
        RAISE EXCEPTION 'ops.register_aggregate: % is not a table', register_aggregate.view_name
            USING ERRCODE = 'wrong_object_type';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
                   WHERE a.attrelid = rel AND a.attname = register_aggregate.bucket_column AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'ops.register_aggregate: % has no column %', register_aggregate.view_name, register_aggregate.bucket_column
            USING ERRCODE = 'undefined_column';
    END IF;

    -- Every relation the compute function reads (its own result type aside), schema-qualified.
    SELECT coalesce(pg_catalog.array_agg(DISTINCT pg_catalog.format('%I.%I', n.nspname, c.relname)), '{}'),
           coalesce(pg_catalog.array_agg(DISTINCT pg_catalog.format('%I.%I', n.nspname, c.relname))
                    FILTER (WHERE c.relkind = 'm' OR EXISTS (SELECT 1 FROM ops.mv_registry AS r
                                                             WHERE r.view_name = pg_catalog.format('%I.%I', n.nspname, c.relname))), '{}')
    INTO read_names, base_names
    FROM pg_catalog.pg_depend AS d
    JOIN pg_catalog.pg_class AS c ON c.oid = d.refobjid AND d.refclassid = 'pg_catalog.pg_class'::regclass
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = register_aggregate.compute_function
      AND c.oid <> rel AND c.relkind IN ('r', 'p', 'v', 'm', 'f');

    EXECUTE pg_catalog.format('SELECT count(*) FROM %s', rel) INTO row_count;

    INSERT INTO ops.mv_registry AS m (view_name, refresh_interval, refresh_concurrently, stale_after, depends_on, reads,
                                      description, last_success_at, last_row_count, consecutive_failures,
                                      view_kind, compute_function, bucket_column, bucket_width)
    VALUES (register_aggregate.view_name, register_aggregate.refresh_interval, false, register_aggregate.stale_after,
            base_names, read_names, register_aggregate.description, pg_catalog.now(), row_count, 0,
            'incremental', register_aggregate.compute_function::text, register_aggregate.bucket_column, register_aggregate.bucket_width)
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
            view_kind = EXCLUDED.view_kind,
            compute_function = EXCLUDED.compute_function,
            bucket_column = EXCLUDED.bucket_column,
            bucket_width = EXCLUDED.bucket_width
    RETURNING * INTO registered;

    -- As in ops.register_view: the fill covers what the snapshot taken before the script saw.
    covered := CASE
        WHEN pg_catalog.current_setting('transaction_isolation') IN ('repeatable read', 'serializable')
            THEN pg_catalog.pg_current_snapshot()
        ELSE NULLIF(pg_catalog.current_setting('erpdb.script_snapshot', true), '')::pg_catalog.pg_snapshot
    END;
    DELETE FROM ops.mv_invalidations AS i
    WHERE i.view_name = register_aggregate.view_name
      AND (pg_catalog.pg_visible_in_snapshot(i.xid, covered) OR i.xid = pg_catalog.pg_current_xact_id_if_assigned());
    DELETE FROM ops.agg_invalidations AS i
    WHERE i.view_name = register_aggregate.view_name
      AND (pg_catalog.pg_visible_in_snapshot(i.xid, covered) OR i.xid = pg_catalog.pg_current_xact_id_if_assigned());
    INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, row_count, status, was_concurrent,
                                    refresh_trigger, refresh_mode)
    VALUES (register_aggregate.view_name, pg_catalog.now(), pg_catalog.clock_timestamp(),
            pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - pg_catalog.now()) * 1000)::numeric, 3),
            row_count, 'succeeded', false, 'migrate', 'full');
    RETURN registered;
END
$$;

COMMENT ON FUNCTION ops.register_aggregate(text, regprocedure, text, text, interval, interval, text) IS
    'Upserts an incremental aggregate (a table filled by its compute function) into ops.mv_registry with what it reads (the compute function''s catalog dependencies), its bucket column and width, clears the dirty marks and invalidated ranges its fill covers and logs its creation (trigger migrate). Called by the sql/views files of incremental aggregates; runs as erp_owner during migrate.';
REVOKE EXECUTE ON FUNCTION ops.register_aggregate(text, regprocedure, text, text, interval, interval, text) FROM PUBLIC;

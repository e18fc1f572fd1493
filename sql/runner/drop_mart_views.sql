-- runner/drop_mart_views: not a migration. erpdb script (the SQL for review and psql -1) runs it first,
-- when migrations are pending and views exist: every mart materialized view goes
-- (with CASCADE, so their reader views too), the pending migrations then alter what the views
-- read freely, and every view script runs again before the transaction commits (docs/view-rebuilds.md).
-- The tables of incremental aggregates (ops.mv_registry.view_kind = 'incremental') go too: their
-- compute functions depend on the columns they read, and their files re-create and refill them.
DO $$
DECLARE
    view_name text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
               WHERE attrelid = pg_catalog.to_regclass('ops.mv_registry') AND attname = 'view_kind' AND NOT attisdropped) THEN
        FOR view_name IN
            EXECUTE 'SELECT view_name FROM ops.mv_registry WHERE view_kind = ''incremental'' ORDER BY view_name'
        LOOP
            -- With CASCADE the compute function and the reader view go with the table.
            IF pg_catalog.to_regclass(view_name) IS NOT NULL
               AND (SELECT c.relkind FROM pg_catalog.pg_class AS c WHERE c.oid = pg_catalog.to_regclass(view_name)) = 'r' THEN
                EXECUTE 'DROP TABLE ' || pg_catalog.to_regclass(view_name)::text || ' CASCADE';
            END IF;
        END LOOP;
    END IF;
    FOR view_name IN
        SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
        FROM pg_catalog.pg_class AS c
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'mart' AND c.relkind = 'm'
        ORDER BY c.relname
    LOOP
        -- A view dropped earlier in this loop (it read another) is gone already: IF EXISTS.
        EXECUTE 'DROP MATERIALIZED VIEW IF EXISTS ' || view_name || ' CASCADE';
    END LOOP;
END
$$;

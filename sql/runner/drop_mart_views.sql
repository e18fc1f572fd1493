-- runner/drop_mart_views: not a migration. erpdb script (the SQL for review and psql -1) runs it first,
-- when migrations are pending and views exist: every mart materialized view goes
-- (with CASCADE, so their reader views too), the pending migrations then alter what the views
-- read freely, and every view script runs again before the transaction commits (docs/view-rebuilds.md).
DO $$
DECLARE
    view_name text;
BEGIN
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

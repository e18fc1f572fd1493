-- ops.health_problems: everything in this database a DBA should act on, one row per problem with
-- a stable code, the object, the problem and the fix (docs/doctor.md). Empty = healthy. erpdb
-- doctor adds what the database cannot see itself: pending scripts, drift and pg_cron.
-- requires: ops.merchant_isolation_problems (0010_merchant_isolation), ops.view_status,
--           dw.alerts (0017_business_flows; slow_refresh alerts, 0019_alerts_and_results),
--           ops.mv_registry (0012_refresh_registry), dw.business_date_problem,
--           ops.overrunning_refreshes, ops.advisory_lock_holders, ops.due_run_lock_key,
--           ops.merchant_access.role_oid (0049_merchant_access_by_role_oid), dw.dim_shops.timezone (0025)
-- Run it as a member of erp_owner; it reads pg_locks and pg_stat_activity with the caller's
-- rights (a superuser or pg_read_all_stats sees the age of every refresh lock).
-- LANGUAGE plpgsql so that it is created even before the functions it calls (checked at run time).

CREATE OR REPLACE FUNCTION ops.health_problems()
RETURNS TABLE (code text, severity text, object_name text, problem text, fix text)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    part        record;
    stats       record;
    month_start date;
BEGIN
    -- ERPDB001: merchant isolation (only its object_name and problem columns are relied on).
    RETURN QUERY
    SELECT 'ERPDB001', 'error', i.object_name::text, i.problem::text,
           'Restore the isolation rule for this object (docs/merchant-isolation.md): revoke or drop what a hand change added. erpdb migrate runs a script again only when its file changed: to restore a warehouse view or table from its script, DELETE FROM ops.schema_journal WHERE script_name = ''views/<its view>.sql'' (the reader view mart.daily_sales is made by views/mart.mv_daily_sales.sql), then run erpdb migrate.'
    FROM ops.merchant_isolation_problems() AS i;

    -- ERPDB002..004: materialized views failing, stale, missing.
    RETURN QUERY
    SELECT 'ERPDB002', 'error', v.view_name,
           format('%s refreshes in a row failed; last error: %s', v.consecutive_failures, coalesce(v.last_error, 'unknown')),
           format('Fix the cause of the error, then run: erpdb refresh %s', v.view_name)
    FROM ops.view_status() AS v
    WHERE v.consecutive_failures >= 3
    UNION ALL
    SELECT 'ERPDB003', 'warning', v.view_name,
           CASE WHEN v.last_refresh_at IS NULL THEN 'never refreshed successfully'
                ELSE format('last successful refresh %s ago, stale after %s', date_trunc('second', v.age), v.stale_after) END,
           format('Check that the due refresh runs (pg_cron job refresh_due, RefreshWorker or erpdb refresh --watch), then run: erpdb refresh %s', v.view_name)
    FROM ops.view_status() AS v
    WHERE v.is_stale AND v.consecutive_failures < 3 AND v.is_populated
    UNION ALL
    SELECT 'ERPDB004', 'error', v.view_name,
           CASE WHEN to_regclass(v.view_name) IS NULL THEN 'registered but does not exist' ELSE 'exists but is not populated' END,
           'Run erpdb migrate (creates it), then: erpdb refresh ' || v.view_name
    FROM ops.view_status() AS v
    WHERE NOT v.is_populated AND v.consecutive_failures < 3;

    -- ERPDB017: the open slow_refresh alerts (raised by the trigger on ops.mv_registry): alerts about
    -- views have no merchant, so erpdb alerts never shows them; this is where a DBA sees them.
    RETURN QUERY
    SELECT 'ERPDB017', 'warning', a.subject,
           format('the last successful refresh took %s, longer than its slow_after %s (slow since %s)',
                  coalesce(date_trunc('milliseconds', r.last_duration_ms * interval '1 millisecond')::text, 'unknown'),
                  coalesce(r.slow_after::text, a.details ->> 'slow_after'), date_trunc('second', a.raised_at)),
           format('Find out why it got slow (its durations: SELECT started_at, duration_ms, refresh_mode FROM ops.mv_refresh_log WHERE view_name = %L ORDER BY started_at DESC). '
                  || 'The next refresh within the limit resolves this; if the duration is expected, raise the limit: UPDATE ops.mv_registry SET slow_after = ''15 minutes'' WHERE view_name = %L',
                  a.subject, a.subject)
    FROM dw.alerts AS a
    LEFT JOIN ops.mv_registry AS r ON r.view_name = a.subject
    WHERE a.kind = 'slow_refresh' AND a.resolved_at IS NULL;

    -- ERPDB019: merchant grants that count for no role (ops.current_merchant_id() matches a grant by
    -- role oid): the role was dropped, renamed or created again, or the database was restored into
    -- another server, whose roles have other oids. Its logins see nothing: safe, but an outage.
    RETURN QUERY
    SELECT 'ERPDB019', 'warning', a.role_name::text,
           format('its grant of %s counts for no role: no role of that name has the oid it was made to (dropped, renamed or created again, or the database was restored into another server); its logins see nothing of it',
                  coalesce('merchant ' || a.merchant_id, 'any merchant')),
           format('If the role %s should read it, grant it again: SELECT ops.grant_merchant_access(%L, %s); if not, remove it: SELECT ops.revoke_merchant_access(%L, %s)',
                  a.role_name, a.role_name, coalesce(a.merchant_id::text, 'NULL'), a.role_name, coalesce(a.merchant_id::text, 'NULL'))
    FROM ops.merchant_access AS a
    WHERE to_regrole(quote_ident(a.role_name)) IS DISTINCT FROM a.role_oid;

    -- ERPDB021: every merchant and shop cuts its business day in one UTC offset and this session
    -- counts today in another. Imports date orders and refuse future days by the merchant's clock;
    -- reports, aging, overdue marking and the refresh windows count CURRENT_DATE (docs/today.md), so
    -- for some hours every day the two are different dates. Zones are compared by their offsets now
    -- and half a year from now, not by name (Asia/Shanghai and Asia/Hong_Kong agree; Europe/London
    -- and UTC do not, half of the year). A warehouse whose merchants span several zones so compared
    -- is not reported: no one setting fits it. A zone name PostgreSQL does not know (written by hand:
    -- imports refuse one) is left out, so that it cannot fail the whole check.
    RETURN QUERY
    WITH zones AS (
        SELECT m.timezone AS zone, count(*) AS merchants FROM dw.dim_merchants AS m GROUP BY m.timezone
        UNION ALL
        SELECT s.timezone, 0 FROM dw.dim_shops AS s WHERE s.timezone IS NOT NULL GROUP BY s.timezone
    ), instants AS (
        SELECT now() AS at, true AS is_now UNION ALL SELECT now() + interval '6 months', false
    ), offsets AS (
        SELECT z.zone, z.merchants,
               array_agg(extract(epoch FROM (i.at AT TIME ZONE z.zone) - (i.at AT TIME ZONE 'UTC')) ORDER BY i.is_now DESC) AS seconds
        FROM zones AS z
        CROSS JOIN instants AS i
        WHERE z.zone IN (SELECT n.name FROM pg_catalog.pg_timezone_names AS n)
        GROUP BY z.zone, z.merchants
    ), business AS (
        SELECT (array_agg(o.zone ORDER BY o.merchants DESC, o.zone))[1] AS zone, sum(o.merchants) AS merchants, min(o.seconds) AS seconds
        FROM offsets AS o
        HAVING count(DISTINCT o.seconds) = 1 AND sum(o.merchants) > 0
    ), here AS (
        SELECT current_setting('TimeZone') AS zone,
               array_agg(extract(epoch FROM (i.at AT TIME ZONE current_setting('TimeZone')) - (i.at AT TIME ZONE 'UTC')) ORDER BY i.is_now DESC) AS seconds
        FROM instants AS i
    )
    SELECT 'ERPDB021', 'warning', 'database ' || current_database(),
           format('%s business days in %s (UTC%s now), but this database counts today in %s (UTC%s now): for up to %s of every day the two dates differ, and imports date orders and refuse future days by the merchants'' date while reports, aging, overdue marking and the refresh windows count the database''s date',
                  CASE WHEN b.merchants < (SELECT count(*) FROM dw.dim_merchants) THEN format('%s of its %s merchants (the others'' zones are not known to PostgreSQL) cut', b.merchants, (SELECT count(*) FROM dw.dim_merchants))
                       WHEN b.merchants = 1 THEN 'its merchant cuts' ELSE format('all its %s merchants cut', b.merchants) END,
                  b.zone, CASE WHEN b.seconds[1] < 0 THEN '-' ELSE '+' END || to_char(make_interval(secs => abs(b.seconds[1])), 'HH24:MI'),
                  h.zone, CASE WHEN h.seconds[1] < 0 THEN '-' ELSE '+' END || to_char(make_interval(secs => abs(h.seconds[1])), 'HH24:MI'),
                  (SELECT trim_scale(round(d.seconds / 3600, 2)) || CASE WHEN d.seconds = 3600 THEN ' hour' ELSE ' hours' END
                   FROM (SELECT greatest(abs(b.seconds[1] - h.seconds[1]), abs(b.seconds[2] - h.seconds[2])) AS seconds) AS d)),
           format('ALTER DATABASE %I SET timezone = %L; new sessions take it (an app''s pooled connections when they reconnect, docs/today.md)',
                  current_database(), b.zone)
    FROM business AS b, here AS h
    WHERE b.seconds <> h.seconds;

    -- ERPDB005: refreshes past their limit. A view's: ops.overrunning_refreshes, the definition the
    -- watchdog (ops.cancel_overrunning_refreshes) cancels by; reported here too, since only an
    -- active refresh can be cancelled and only where the watchdog runs. The due refresh's run lock:
    -- held longer than every view's statement and lock timeouts together, counted from the CALL.
    RETURN QUERY
    SELECT 'ERPDB005', 'error', o.view_name,
           format('the refresh lock of %s is held by %s for %s, longer than its statement timeout %s',
                  o.view_name, o.holder, date_trunc('second', o.running_for), o.run_limit),
           format('An active refresh is cancelled within a minute by the watchdog (pg_cron job cancel_overrunning_refreshes or RefreshWorker): check that it runs. '
                  || 'Otherwise find out why process %s holds it (SELECT * FROM pg_stat_activity WHERE pid = %s); if it is stuck: SELECT pg_terminate_backend(%s)',
                  o.pid, o.pid, o.pid)
    FROM ops.overrunning_refreshes() AS o
    UNION ALL
    SELECT 'ERPDB005', 'error', 'ops.refresh_due',
           format('the lock of the due refresh is held by %s for %s, longer than its run limit %s',
                  h.description, date_trunc('second', now() - coalesce(h.query_start, h.xact_start)), lim.run_limit),
           format('Find out why process %s holds it (SELECT * FROM pg_stat_activity WHERE pid = %s); if it is stuck: SELECT pg_terminate_backend(%s)',
                  h.pid, h.pid, h.pid)
    FROM (SELECT coalesce(sum(r.statement_timeout + r.lock_timeout), interval '0') AS run_limit FROM ops.mv_registry AS r) AS lim
    CROSS JOIN LATERAL ops.advisory_lock_holders(ops.due_run_lock_key()) AS h
    WHERE h.listed AND now() - coalesce(h.query_start, h.xact_start) > lim.run_limit;

    -- ERPDB006: materialized views that cannot be refreshed CONCURRENTLY.
    RETURN QUERY
    SELECT 'ERPDB006', 'warning', format('%I.%I', n.nspname, c.relname),
           'has no unique index on plain columns without WHERE, so it cannot be refreshed CONCURRENTLY (readers wait for every refresh)',
           'Add CREATE UNIQUE INDEX ... ON ' || format('%I.%I', n.nspname, c.relname) || ' (its key columns) to its file in sql/views, then erpdb migrate'
    FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.relkind = 'm' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT EXISTS (SELECT 1 FROM pg_index AS x
                      WHERE x.indrelid = c.oid AND x.indisunique AND x.indisvalid
                        AND x.indpred IS NULL AND x.indexprs IS NULL);

    -- ERPDB007..009: partitions of the dw facts: rows in DEFAULT, mis-dated rows, not kept ahead.
    FOR part IN
        SELECT p.oid::regclass AS parent, p.relname AS table_name, pt.partdefid AS default_oid,
               pt.partdefid::regclass AS default_partition, a.attname AS date_column
        FROM pg_partitioned_table AS pt
        JOIN pg_class AS p ON p.oid = pt.partrelid
        JOIN pg_namespace AS n ON n.oid = p.relnamespace
        JOIN pg_attribute AS a ON a.attrelid = p.oid AND a.attnum = pt.partattrs[0]
        WHERE n.nspname = 'dw' AND pt.partstrat = 'r' AND NOT p.relispartition
        ORDER BY p.relname
    LOOP
        IF part.default_oid <> 0 THEN
            EXECUTE format('SELECT count(*) FILTER (WHERE dw.business_date_problem(%1$I) IS NULL) AS movable,
                                   count(*) FILTER (WHERE dw.business_date_problem(%1$I) IS NOT NULL) AS misdated,
                                   min(%1$I) FILTER (WHERE dw.business_date_problem(%1$I) IS NULL) AS first_movable,
                                   max(%1$I) FILTER (WHERE dw.business_date_problem(%1$I) IS NULL) AS last_movable,
                                   min(%1$I) FILTER (WHERE dw.business_date_problem(%1$I) IS NOT NULL) AS first_misdated,
                                   max(%1$I) FILTER (WHERE dw.business_date_problem(%1$I) IS NOT NULL) AS last_misdated
                            FROM %2$s', part.date_column, part.default_partition)
            INTO stats;
            IF stats.movable > 0 THEN
                code := 'ERPDB007'; severity := 'warning'; object_name := part.default_partition::text;
                problem := format('%s rows (%s %s .. %s) are in the DEFAULT partition: their months have no partition',
                                  stats.movable, part.date_column, stats.first_movable, stats.last_movable);
                -- ensure_partitions creates months from from_month up to months_ahead past the current one: enough of them to
                -- reach the last row's month (a future month's rows too), and never fewer than its daily run's 3.
                fix := format('SELECT dw.ensure_partitions(%s, DATE %L); moves them into new month partitions',
                              greatest(3, (extract(year FROM stats.last_movable) * 12 + extract(month FROM stats.last_movable))::integer
                                          - (extract(year FROM current_date) * 12 + extract(month FROM current_date))::integer),
                              least(date_trunc('month', stats.first_movable)::date, date_trunc('month', current_date)::date));
                RETURN NEXT;
            END IF;
            IF stats.misdated > 0 THEN
                code := 'ERPDB008'; severity := 'warning'; object_name := part.default_partition::text;
                -- The earliest row's reason, and the latest's when it is another (rows both before 2000 and far ahead).
                problem := format('%s rows have a %s outside the business dates (%s .. %s): %s',
                                  stats.misdated, part.date_column, stats.first_misdated, stats.last_misdated,
                                  concat_ws('; ', dw.business_date_problem(stats.first_misdated),
                                            NULLIF(dw.business_date_problem(stats.last_misdated), dw.business_date_problem(stats.first_misdated))));
                fix := format('Correct or delete them: SELECT * FROM %s WHERE dw.business_date_problem(%I) IS NOT NULL', part.default_partition, part.date_column);
                RETURN NEXT;
            END IF;
        END IF;

        month_start := date_trunc('month', current_date)::date;
        WHILE month_start <= (date_trunc('month', current_date) + interval '1 month')::date LOOP
            IF to_regclass(format('dw.%I', part.table_name || '_p' || to_char(month_start, 'YYYY_MM'))) IS NULL THEN
                code := 'ERPDB009'; severity := 'error'; object_name := part.parent::text;
                problem := format('no partition for %s: its rows will land in the DEFAULT partition', to_char(month_start, 'YYYY-MM'));
                fix := 'SELECT dw.ensure_partitions(); and check that it runs daily (pg_cron job ensure_partitions or RefreshWorker)';
                RETURN NEXT;
            END IF;
            month_start := (month_start + interval '1 month')::date;
        END LOOP;
    END LOOP;
END
$$;

COMMENT ON FUNCTION ops.health_problems() IS
    'What a DBA should act on in this database, one row per problem: code (ERPDB001.., docs/doctor.md), severity, object_name, problem, fix. Covers merchant isolation, merchant grants that count for no role, failing/stale/missing/slow views, refresh locks held too long, materialized views without a unique index, rows in DEFAULT partitions, partitions not ahead, and merchants counting days in another zone than the database. Empty = healthy. erpdb doctor adds pending scripts, drift and pg_cron.';
REVOKE EXECUTE ON FUNCTION ops.health_problems() FROM PUBLIC;

using Dapper;
using Erp.Db.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Erp.Db.Tests.Contracts;

/// <summary>
/// Every PL/pgSQL function and procedure of the warehouse passes plpgsql_check (the extension
/// from Debian's postgresql-15-plpgsql-check, which .ci/run installs): no reference to a missing
/// table or column, no type mismatch, no unreachable code that PostgreSQL would only find when
/// the function runs.
/// </summary>
public class PlpgsqlLintTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_plpgsql_function_passes_plpgsql_check()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var available = await db.ScalarAsync<long>("SELECT count(*) FROM pg_available_extensions WHERE name = 'plpgsql_check'");
        Assert.True(available == 1, "plpgsql_check is not installed on the test server: apt-get install postgresql-15-plpgsql-check (.ci/run does)");
        await db.ExecuteAsync("CREATE EXTENSION plpgsql_check");

        // Trigger functions are checked against a table they are attached to; others on their own.
        // Warnings count as findings too: they are where a cast or a dead branch hides a bug.
        const string Check = """
            WITH ours AS (
                SELECT p.oid,
                       p.prorettype = 'pg_catalog.trigger'::regtype AS is_trigger,
                       (SELECT t.tgrelid FROM pg_catalog.pg_trigger AS t WHERE t.tgfoid = p.oid ORDER BY t.tgrelid LIMIT 1) AS relid
                FROM pg_catalog.pg_proc AS p
                JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
                JOIN pg_catalog.pg_language AS l ON l.oid = p.prolang
                WHERE n.nspname IN ('ops', 'dw', 'mart', 'staging') AND l.lanname = 'plpgsql'
            )
            SELECT format('%s: %s %s: %s%s', o.oid::regprocedure, c.level, coalesce(c.sqlstate, ''), c.message,
                          coalesce(' (line ' || c.lineno || ')', ''))
            FROM ours AS o
            -- Statement triggers read the transition tables their CREATE TRIGGER declares: ops.config_changed
            -- (ops.enable_view_invalidation), dw.check_order_references (0026; its UPDATE triggers also the old rows, 0033)
            -- dw.cascade_order_keys (0026), ops.note_c_class_changes (0038), dw.check_product_references and
            -- dw.restrict_product_keys (0047), dw.follow_product_safety_stock (0048).
            CROSS JOIN LATERAL plpgsql_check_function_tb(o.oid, CASE WHEN o.is_trigger THEN coalesce(o.relid, 0) ELSE 0 END,
                oldtable => CASE o.oid WHEN 'ops.config_changed()'::regprocedure THEN 'changed_old'
                                       WHEN 'dw.cascade_order_keys()'::regprocedure THEN 'old_orders'
                                       WHEN 'dw.check_order_references()'::regprocedure THEN 'referenced_before'
                                       WHEN 'dw.check_product_references()'::regprocedure THEN 'referenced_before'
                                       WHEN 'dw.restrict_product_keys()'::regprocedure THEN 'old_products'
                                       WHEN 'dw.follow_product_safety_stock()'::regprocedure THEN 'old_products'
                                       WHEN 'ops.note_c_class_changes()'::regprocedure THEN 'consumed' END::name,
                newtable => CASE o.oid WHEN 'ops.config_changed()'::regprocedure THEN 'changed_new'
                                       WHEN 'dw.cascade_order_keys()'::regprocedure THEN 'new_orders'
                                       WHEN 'dw.check_order_references()'::regprocedure THEN 'referencing'
                                       WHEN 'dw.check_product_references()'::regprocedure THEN 'referencing'
                                       WHEN 'dw.restrict_product_keys()'::regprocedure THEN 'new_products'
                                       WHEN 'dw.follow_product_safety_stock()'::regprocedure THEN 'new_products' END::name) AS c
            WHERE (NOT o.is_trigger OR o.relid IS NOT NULL)
              -- Known and intended, one line each with the reason:
              -- refresh_due probes with a COMMIT inside a handler whether it was CALLed in a transaction block;
              AND NOT (o.oid = 'ops.refresh_due(text,bigint[])'::regprocedure AND c.sqlstate = '2D000')
              -- health_problems fills its record from dynamic SQL, which plpgsql_check cannot follow.
              AND NOT (o.oid = 'ops.health_problems()'::regprocedure AND c.sqlstate IN ('55000', '00000'))
              -- Posting functions read temp tables their caller fills in the same transaction.
              AND NOT (c.sqlstate = '42P01' AND c.message LIKE 'relation "pg\_temp.%" does not exist')
            ORDER BY 1
            """;
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var findings = (await connection.QueryAsync<string>(Check)).ToList();
        if (findings.Count > 0)
        {
            // The check is static: a real finding comes back every time. Once in about twenty suite runs a statement trigger's
            // transition table was reported missing (dw.cascade_order_keys, 42P01 "old_orders"), and never again when asked
            // again; so the findings of a first check count only if a second check repeats them.
            output.WriteLine("First check, not repeated unless listed below:\n" + string.Join("\n", findings));
            findings = (await connection.QueryAsync<string>(Check)).ToList();
        }

        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }
}

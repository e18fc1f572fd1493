using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Warehouse;

public class IsolationCheckTests
{
    private const string OrdersView = "SET ROLE erp_owner; CREATE VIEW dw.v_orders AS SELECT * FROM dw.fact_sales_orders; RESET ROLE";

    [Fact]
    public async Task A_view_the_owner_adds_to_dw_is_not_readable_by_readers_unless_granted()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await using var reader = await ScopedReaderAsync(db);
        await db.ExecuteAsync(OrdersView);

        var denied = await Assert.ThrowsAsync<PostgresException>(() => reader.ScalarAsync<long>("SELECT count(*) FROM dw.v_orders"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        Assert.Empty(await ProblemsAsync(db));
    }

    [Fact]
    public async Task The_check_reports_an_owner_view_over_row_secured_tables_granted_to_readers()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await using var reader = await ScopedReaderAsync(db);
        await db.ExecuteAsync(OrdersView + "; GRANT SELECT ON dw.v_orders TO erp_reader");

        var seen = await reader.ScalarAsync<long>("SELECT count(DISTINCT merchant_id) FROM dw.v_orders");
        var problem = Assert.Single(await ProblemsAsync(db));

        Assert.Equal(2, seen); // why it is a problem: the view reads with its owner's rights
        Assert.Equal(("dw.v_orders", "view"), (problem.Name, problem.Kind));
        Assert.StartsWith("readable by erp_reader but neither security_invoker", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_security_invoker_view_over_a_dw_table_passes_the_check_and_still_filters()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await using var reader = await ScopedReaderAsync(db);
        await db.ExecuteAsync("""
            SET ROLE erp_owner;
            CREATE VIEW dw.v_orders WITH (security_invoker) AS SELECT * FROM dw.fact_sales_orders;
            GRANT SELECT ON dw.v_orders TO erp_reader;
            RESET ROLE
            """);

        Assert.Empty(await ProblemsAsync(db));
        Assert.Equal(3, await reader.ScalarAsync<long>("SELECT count(*) FROM dw.v_orders"));
        Assert.Equal(0, await reader.ScalarAsync<long>($"SELECT count(*) FROM dw.v_orders WHERE merchant_id <> {SampleData.MerchantA}"));
        Assert.Equal(4, await db.ScalarAsync<long>("SELECT count(*) FROM dw.v_orders"));
    }

    [Fact]
    public async Task The_check_reports_a_materialized_view_granted_to_readers_even_by_column()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        // Every shipped mart is an incremental aggregate (a table): the check still covers materialized views someone adds.
        await db.ExecuteAsync("""
            SET ROLE erp_owner;
            CREATE MATERIALIZED VIEW mart.mv_test_orders AS SELECT merchant_id, count(*) AS orders FROM dw.fact_sales_orders GROUP BY merchant_id;
            CREATE MATERIALIZED VIEW mart.mv_test_shops AS SELECT merchant_id, shop_id, shop_name FROM dw.dim_shops;
            GRANT SELECT ON mart.mv_test_orders TO erp_reader;
            GRANT SELECT (merchant_id, shop_id) ON mart.mv_test_shops TO erp_reader;
            RESET ROLE
            """);

        var problems = await ProblemsAsync(db);

        Assert.Equal(["mart.mv_test_orders", "mart.mv_test_shops"], problems.Select(p => p.Name));
        Assert.All(problems, p => Assert.Equal("materialized view", p.Kind));
    }

    [Fact]
    public async Task The_check_reports_an_incremental_aggregate_table_readers_reach_without_row_level_security_even_by_column()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        // Readers may select the aggregates (ops.enable_reader_scope); without their row level security they would see everything.
        await db.ExecuteAsync("""
            ALTER TABLE mart.mv_daily_sales DISABLE ROW LEVEL SECURITY;
            REVOKE SELECT ON mart.mv_weekly_sales FROM erp_reader;
            GRANT SELECT (merchant_id, gmv_cny) ON mart.mv_weekly_sales TO erp_reader;
            ALTER TABLE mart.mv_weekly_sales DISABLE ROW LEVEL SECURITY
            """);

        var problems = await ProblemsAsync(db);

        // Plain tables without row level security: readers would see every merchant's rows.
        Assert.Equal(["mart.mv_daily_sales", "mart.mv_weekly_sales"], problems.Select(p => p.Name));
        Assert.All(problems, p => Assert.Equal("table", p.Kind));
    }

    [Fact]
    public async Task The_check_reports_a_security_definer_set_returning_function_granted_to_public()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("""
            SET ROLE erp_owner;
            CREATE FUNCTION ops.all_orders() RETURNS SETOF dw.fact_sales_orders
                LANGUAGE sql STABLE SECURITY DEFINER AS 'SELECT * FROM dw.fact_sales_orders';
            GRANT EXECUTE ON FUNCTION ops.all_orders() TO PUBLIC;
            RESET ROLE
            """);

        var problem = Assert.Single(await ProblemsAsync(db));

        Assert.Equal(("ops.all_orders()", "function"), (problem.Name, problem.Kind));
        Assert.StartsWith("executable by PUBLIC and SECURITY DEFINER", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Functions_the_owner_adds_later_are_not_executable_by_public()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("SET ROLE erp_owner; CREATE FUNCTION ops.order_count() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS 'SELECT count(*) FROM dw.fact_sales_orders'; RESET ROLE");

        Assert.False(await db.ScalarAsync<bool>("SELECT has_function_privilege('erp_reader', 'ops.order_count()', 'EXECUTE')"));
        Assert.Empty(await ProblemsAsync(db));
    }

    [Fact]
    public async Task The_check_reports_reader_create_rights_default_grants_and_policies_that_ignore_the_scope()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("""
            GRANT CREATE ON SCHEMA mart TO erp_reader;
            ALTER DEFAULT PRIVILEGES FOR ROLE erp_owner IN SCHEMA dw GRANT SELECT ON TABLES TO erp_reader;
            CREATE POLICY fact_expenses_everything ON dw.fact_expenses FOR SELECT TO erp_reader USING (true);
            """);

        var problems = await ProblemsAsync(db);

        Assert.Equal(
            [
                ("dw.fact_expenses", "table", "policy fact_expenses_everything applies to readers but does not call ops.current_merchant_id()"),
                ("erp_owner in schema dw", "default privileges", "later tables and views are granted SELECT to erp_reader"),
                ("mart", "schema", "erp_reader may create objects in it"),
            ],
            problems.Select(p => (p.Name, p.Kind, p.Problem)));
    }

    [Fact]
    public async Task The_check_reports_what_is_granted_to_a_scoped_readers_group_role_or_to_the_login_itself()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await using var reader = await ScopedReaderAsync(db);
        await using var both = await TestLogin.CreateAsync(db, "erp_reader, erp_writer");
        var group = $"t_group_{Guid.NewGuid():N}"[..20];
        await db.ExecuteAsync($"CREATE ROLE {group} NOLOGIN; GRANT {group} TO {reader.Name}");
        try
        {
            // A per-merchant group role, the login itself: privileges a scoped reader uses as much as erp_reader's.
            await db.ExecuteAsync($"""
                SET ROLE erp_owner;
                CREATE VIEW mart.v_group_orders AS SELECT * FROM dw.fact_sales_orders;
                GRANT SELECT ON mart.v_group_orders TO {group};
                CREATE VIEW mart.v_login_orders AS SELECT * FROM dw.fact_sales_orders;
                GRANT SELECT (merchant_id, order_id) ON mart.v_login_orders TO {reader.Name};
                CREATE FUNCTION mart.all_orders() RETURNS SETOF dw.fact_sales_orders
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS 'SELECT * FROM dw.fact_sales_orders';
                GRANT EXECUTE ON FUNCTION mart.all_orders() TO {reader.Name};
                GRANT INSERT ON dw.fact_expenses TO {group};
                GRANT CREATE ON SCHEMA mart TO {group};
                CREATE VIEW mart.v_writer_orders AS SELECT * FROM dw.fact_sales_orders;
                GRANT SELECT ON mart.v_writer_orders TO {both.Name};
                RESET ROLE
                """);

            // Why they are problems: both views and the function read every merchant's rows.
            Assert.Equal(2, await reader.ScalarAsync<long>("SELECT count(DISTINCT merchant_id) FROM mart.v_group_orders"));
            Assert.Equal(2, await reader.ScalarAsync<long>("SELECT count(DISTINCT merchant_id) FROM mart.v_login_orders"));
            Assert.Equal(2, await reader.ScalarAsync<long>("SELECT count(DISTINCT merchant_id) FROM mart.all_orders()"));

            var problems = await ProblemsAsync(db);

            // A login that is a writer too sees every merchant anyway (docs/security.md): not a finding.
            const string View = "but neither security_invoker nor a security_barrier view filtering by ops.current_merchant_id()";
            Assert.Equal(
                [
                    ("dw.fact_expenses", "table", $"{group} has INSERT"),
                    ("mart", "schema", $"{group} may create objects in it"),
                    ("mart.all_orders()", "function", $"executable by {reader.Name} and SECURITY DEFINER without an entry in the allowed functions of ops.merchant_isolation_problems()"),
                    ("mart.v_group_orders", "view", $"readable by {group} {View}"),
                    ("mart.v_login_orders", "view", $"readable by {reader.Name} {View}"),
                ],
                problems.Select(p => (p.Name, p.Kind, p.Problem)));
        }
        finally
        {
            await db.ExecuteAsync($"DROP OWNED BY {group}; DROP ROLE {group}");
        }
    }

    [Fact]
    public async Task The_check_reports_a_reader_that_bypasses_row_level_security_or_reads_all_data()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        // Roles are the whole server's: made and checked in one transaction that is rolled back, so
        // that no other test's database sees them.
        var bypassing = $"t_login_{Guid.NewGuid():N}"[..20];
        var readingAll = $"t_login_{Guid.NewGuid():N}"[..20];
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand(
            $"CREATE ROLE {bypassing} LOGIN BYPASSRLS IN ROLE erp_reader; CREATE ROLE {readingAll} LOGIN IN ROLE erp_reader, pg_read_all_data",
            connection, transaction))
        {
            await create.ExecuteNonQueryAsync();
        }

        var problems = new List<(string, string, string)>();
        await using (var check = new NpgsqlCommand(
            "SELECT object_name, object_kind, problem FROM ops.merchant_isolation_problems() WHERE object_kind = 'role'", connection, transaction))
        await using (var rows = await check.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                problems.Add((rows.GetString(0), rows.GetString(1), rows.GetString(2)));
            }
        }
        await transaction.RollbackAsync();

        Assert.Contains((bypassing, "role", "a member of erp_reader that bypasses row level security"), problems);
        Assert.Contains((readingAll, "role", "a member of erp_reader that is a member of pg_read_all_data"), problems);
    }

    private static async Task<TestLogin> ScopedReaderAsync(TestDatabase db)
    {
        var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', {SampleData.MerchantA})");
        return reader;
    }

    private static async Task<List<(string Name, string Kind, string Problem)>> ProblemsAsync(TestDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("SELECT object_name, object_kind, problem FROM ops.merchant_isolation_problems()");
        await using var rows = await command.ExecuteReaderAsync();
        var problems = new List<(string, string, string)>();
        while (await rows.ReadAsync())
        {
            problems.Add((rows.GetString(0), rows.GetString(1), rows.GetString(2)));
        }
        return problems;
    }
}

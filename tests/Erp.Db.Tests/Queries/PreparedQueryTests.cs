using Erp.Db.Queries;
using Erp.Db.Queries.Products;
using Erp.Db.Queries.Sales;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;
using Npgsql;

namespace Erp.Db.Tests.Queries;

/// <summary>The query pool that prepares what it runs often (docs/prepared-queries.md), and reads that survive a statement going stale.</summary>
public class PreparedQueryTests
{
    [Fact]
    public async Task A_database_built_from_a_connection_string_prepares_its_queries_and_answers_as_the_primary_does()
    {
        await using var f = await QueryFixture.CreateAsync();
        await using var built = ErpDatabase.Create(new ErpDbOptions { ConnectionString = f.Db.ConnectionString, ResultCacheRows = 0 });
        var sales = new SalesQuery { MerchantId = 1, Period = Period.LastDays(30, QueryFixture.Today) };
        var products = new ProductQuery { MerchantId = 1, Platform = "shopee", SortBy = ProductSort.Revenue };

        var answers = new List<(decimal Revenue, long Orders, int Products)>();
        for (var call = 0; call < 8; call++)
        {
            var s = await built.Queries.SalesAsync(sales);
            var p = await built.Queries.ProductsAsync(products);
            answers.Add((s.Data.Metrics.Revenue, s.Data.Metrics.Orders, p.Data.Items.Count));
        }
        await using var connection = await built.ReadDataSource.OpenConnectionAsync();
        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", connection);

        Assert.NotSame(built.DataSource, built.ReadDataSource);
        Assert.Equal(ErpDatabase.PreparedQueries, new NpgsqlConnectionStringBuilder(built.ReadDataSource.ConnectionString).MaxAutoPrepare);
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(built.DataSource.ConnectionString).MaxAutoPrepare);
        Assert.True((long)(await prepared.ExecuteScalarAsync())! > 0, "the query pool should have prepared the statements it ran eight times");
        var unprepared = await f.Erp.Queries.SalesAsync(sales);
        Assert.All(answers, a => Assert.Equal((unprepared.Data.Metrics.Revenue, unprepared.Data.Metrics.Orders), (a.Revenue, a.Orders)));
        Assert.Single(answers.Select(a => a.Products).Distinct());
    }

    [Fact]
    public async Task Prepared_statements_on_one_connection_answer_each_merchant_with_its_own_rows_and_follow_a_revoke()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await using var both = await TestLogin.CreateAsync(db, "erp_reader");
        await using var onlyTwo = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{both.Name}', 1), ops.grant_merchant_access('{both.Name}', 2), ops.grant_merchant_access('{onlyTwo.Name}', 2)");
        // One pooled connection each (test logins do not pool by default), cache off: every call runs the batch, prepared from its fifth use on.
        static ErpDatabase OnOneConnection(TestLogin login) => ErpDatabase.Create(new ErpDbOptions
        {
            ConnectionString = new NpgsqlConnectionStringBuilder(login.ConnectionString) { Pooling = true, MaxPoolSize = 1 }.ConnectionString,
            ResultCacheRows = 0,
        });
        await using var shared = OnOneConnection(both);
        await using var other = OnOneConnection(onlyTwo);
        var period = Period.LastDays(7, QueryFixture.Today);
        const string Window = "order_date BETWEEN CURRENT_DATE - 6 AND CURRENT_DATE AND dw.is_valid_sale(status)";
        var revenueOf1 = await db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND {Window}");
        var revenueOf2 = await db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 2 AND {Window}");

        var answers = new List<(decimal One, decimal Two, decimal OtherAsksForOne)>();
        for (var call = 0; call < 8; call++)
        {
            answers.Add(((await shared.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period })).Data.Metrics.Revenue,
                (await shared.Queries.SalesAsync(new SalesQuery { MerchantId = 2, Period = period })).Data.Metrics.Revenue,
                (await other.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period })).Data.Metrics.Revenue));
        }
        await db.ExecuteAsync($"SELECT ops.revoke_merchant_access('{both.Name}', 1)");
        var afterRevoke = await shared.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });

        Assert.True(revenueOf1 > 0 && revenueOf2 > 0 && revenueOf1 != revenueOf2);
        Assert.All(answers, a => Assert.Equal((revenueOf1, revenueOf2, 0m), a));
        Assert.Equal(0m, afterRevoke.Data.Metrics.Revenue);
        // Every day of the period has a row; none holds anything of the merchant.
        Assert.Equal(7, afterRevoke.Data.Daily.Count);
        Assert.All(afterRevoke.Data.Daily, d => Assert.Equal((0m, 0L), (d.Revenue, d.Orders!.Value)));
        await using var connection = await shared.ReadDataSource.OpenConnectionAsync();
        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", connection);
        Assert.True((long)(await prepared.ExecuteScalarAsync())! > 0, "the calls should have run prepared");
    }

    [Fact]
    public async Task A_connection_string_that_sets_Max_Auto_Prepare_keeps_its_own_value_even_zero()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var off = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString + ";Max Auto Prepare=0" });
        await using var few = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString + ";MaxAutoPrepare=5" });

        Assert.Equal(0, new NpgsqlConnectionStringBuilder(off.ReadDataSource.ConnectionString).MaxAutoPrepare);
        Assert.Equal(5, new NpgsqlConnectionStringBuilder(few.ReadDataSource.ConnectionString).MaxAutoPrepare);
    }

    [Fact]
    public async Task A_read_whose_prepared_statement_changed_result_type_runs_again_where_a_plain_one_fails()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("CREATE TABLE public.reshaped (a integer); INSERT INTO public.reshaped VALUES (7)");
        // One physical connection each, preparing a statement on its second use.
        var preparing = new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1, MaxAutoPrepare = 4, AutoPrepareMinUsages = 2 }.ConnectionString;
        await using var plain = NpgsqlDataSource.Create(preparing);
        await using var retrying = NpgsqlDataSource.Create(preparing);
        static async Task<string> ReadAsync(NpgsqlDataSource dataSource)
        {
            await using var command = dataSource.CreateCommand("SELECT a FROM public.reshaped");
            var value = (await command.ExecuteScalarAsync())!;
            return $"{value} {value.GetType().Name}";
        }
        for (var use = 0; use < 3; use++)
        {
            Assert.Equal("7 Int32", await ReadAsync(plain));
            Assert.Equal("7 Int32", await ReadAsync(retrying));
        }

        await db.ExecuteAsync("ALTER TABLE public.reshaped ALTER COLUMN a TYPE bigint");

        var stale = await Assert.ThrowsAsync<PostgresException>(() => ReadAsync(plain));
        Assert.Equal(PostgresErrorCodes.FeatureNotSupported, stale.SqlState);
        Assert.Equal("RevalidateCachedQuery", stale.Routine);
        Assert.Equal("7 Int64", await ReplannedRead.RunAsync(new ErpDbOptions(), () => ReadAsync(retrying)));
    }
}

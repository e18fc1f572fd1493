using Erp.Db.Queries;
using Erp.Db.Queries.Products;
using Erp.Db.Queries.Sales;
using Erp.Db.Tests.Infrastructure;
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
        var sales = new SalesQuery(1, Period.LastDays(30, QueryFixture.Today));
        var products = new ProductQuery { MerchantId = 1, Platform = "shopee", SortBy = ProductSort.Revenue };

        var answers = new List<(decimal Revenue, long Orders, int Products)>();
        for (var call = 0; call < 8; call++)
        {
            var s = await built.Queries.SalesAsync(sales);
            var p = await built.Queries.ProductsAsync(products);
            answers.Add((s.Data.Metrics.TotalRevenue, s.Data.Metrics.TotalOrders, p.Data.Items.Count));
        }
        await using var connection = await built.ReadDataSource.OpenConnectionAsync();
        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", connection);

        Assert.NotSame(built.DataSource, built.ReadDataSource);
        Assert.Equal(ErpDatabase.PreparedQueries, new NpgsqlConnectionStringBuilder(built.ReadDataSource.ConnectionString).MaxAutoPrepare);
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(built.DataSource.ConnectionString).MaxAutoPrepare);
        Assert.True((long)(await prepared.ExecuteScalarAsync())! > 0, "the query pool should have prepared the statements it ran eight times");
        var unprepared = await f.Erp.Queries.SalesAsync(sales);
        Assert.All(answers, a => Assert.Equal((unprepared.Data.Metrics.TotalRevenue, unprepared.Data.Metrics.TotalOrders), (a.Revenue, a.Orders)));
        Assert.Single(answers.Select(a => a.Products).Distinct());
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
        Assert.Equal("7 Int64", await ReplannedRead.RunAsync(() => ReadAsync(retrying)));
    }
}

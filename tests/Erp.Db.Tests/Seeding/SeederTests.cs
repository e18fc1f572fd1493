using Erp.Db.Seeding;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Seeding;

public class SeederTests
{
    internal static readonly SeedOptions Small = new() { Orders = 2_000, EndDate = new DateOnly(2025, 12, 31) };

    [Fact]
    public async Task Seed_loads_every_table_and_reports_the_rows()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();

        var report = await new Seeder(db.DataSource).SeedAsync(Small);

        Assert.Equal(2_000, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
        Assert.Equal(report.Tables.Single(t => t.Table == "dw.fact_order_items").Rows, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items"));
        Assert.All(report.Tables, t => Assert.True(t.Rows > 0, $"{t.Table} is empty"));
        Assert.Equal(16, report.Tables.Count);
    }
}

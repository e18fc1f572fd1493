using Erp.Db.Seeding;
using Erp.Db.Seeding.Generation;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Seeding;

/// <summary>The first of the two databases seeded alike is the shared seed of <see cref="SeederTests.Small"/> (<see cref="SmallSeed"/>).</summary>
[Collection(SharesSmallSeed.Name)]
public class SeedDeterminismTests(SmallSeed seed)
{
    [Fact]
    public async Task The_same_seed_loads_the_same_data_into_two_databases_and_another_seed_different_data()
    {
        var first = seed.Db;
        await using var second = await TestDatabase.CreateMigratedAsync();
        await using var other = await TestDatabase.CreateMigratedAsync();

        await new Seeder(second.DataSource).SeedAsync(SeederTests.Small);
        await new Seeder(other.DataSource).SeedAsync(SeederTests.Small with { RandomSeed = 7 });

        var a = await SeedChecksums.ReadAsync(first);
        var b = await SeedChecksums.ReadAsync(second);
        var c = await SeedChecksums.ReadAsync(other);
        Assert.Equal(18, a.Count);
        Assert.All(a, table => Assert.False(table.Value.StartsWith("0:", StringComparison.Ordinal), $"{table.Key} is empty"));
        Assert.Equal(a, b);
        Assert.Equal(a["dw.fact_sales_orders"].Split(':')[0], c["dw.fact_sales_orders"].Split(':')[0]); // same number of orders
        Assert.NotEqual(a["dw.fact_sales_orders"], c["dw.fact_sales_orders"]);
        Assert.NotEqual(a["dw.fact_order_items"], c["dw.fact_order_items"]);
        Assert.NotEqual(a["dw.dim_products"], c["dw.dim_products"]);
    }

    [Fact]
    public void The_generator_is_pure_every_enumeration_yields_the_same_rows()
    {
        var options = new SeedOptions { Orders = 500, Days = 60, EndDate = new DateOnly(2025, 6, 30) };
        var one = new DemoDataGenerator(options, SeedReferenceData.Default);
        var two = new DemoDataGenerator(options, SeedReferenceData.Default);

        var firstEnumeration = one.OrderItems().ToList();

        Assert.Equal(one.Orders(), two.Orders());
        Assert.Equal(firstEnumeration, one.OrderItems());
        Assert.Equal(one.OrderItems(), two.OrderItems());
        Assert.Equal(one.Expenses(), two.Expenses());
        Assert.Equal(500, one.Orders().Count());
        Assert.Equal(one.OrderItemCount, one.OrderItems().LongCount());
        Assert.Equal(Enumerable.Range(1, (int)one.OrderItemCount).Select(i => (long)i), one.OrderItems().Select(i => i.OrderItemId));
    }

    [Fact]
    public void Out_of_range_options_are_reported_one_message_each()
    {
        var problems = new SeedOptions { Orders = -5, Days = 0, Merchants = 0, ShopsPerMerchant = 51, ProductsPerMerchant = 1 }.Validate();

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.Option == "--orders" && p.Message.StartsWith("--orders must be between 1", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new DemoDataGenerator(new SeedOptions { Orders = 0 }, SeedReferenceData.Default));
    }
}

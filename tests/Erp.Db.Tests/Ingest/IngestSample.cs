using Erp.Db.Ingest;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Warehouse;

namespace Erp.Db.Tests.Ingest;

/// <summary>The sample warehouse, ready for ingest, and row builders for the tests.</summary>
internal static class IngestSample
{
    public const long Merchant = SampleData.MerchantA;
    public const long Shop = 10;
    public const string Sku = "A-1";

    /// <summary>Sample data, with the identity sequences moved past the ids SampleData set by hand.</summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await db.ExecuteAsync("SELECT setval(pg_get_serial_sequence('dw.fact_sales_orders', 'order_id'), 1000)");
        return db;
    }

    public static OrderRow Order(string orderNo, decimal gmv = 10m, long shop = Shop) =>
        new(Merchant, shop, orderNo, new DateOnly(2026, 3, 5), new DateTimeOffset(2026, 3, 5, 9, 30, 0, TimeSpan.FromHours(8)), gmv)
        {
            Status = "paid",
            CurrencyCode = "USD",
            ExchangeRate = 7.1m,
            PaidAt = new DateTimeOffset(2026, 3, 5, 9, 35, 0, TimeSpan.FromHours(8)),
        };

    public static OrderItemRow Item(string orderNo, int lineNo, int quantity = 2) =>
        new(Merchant, Shop, orderNo, new DateOnly(2026, 3, 5), lineNo, Sku, quantity, 4.5m);

    public static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    /// <summary>Every order of the sample merchant as text, to compare table content before and after.</summary>
    public static Task<string?> OrdersSnapshotAsync(TestDatabase db) => db.ScalarAsync<string>(
        "SELECT string_agg(o::text, E'\\n' ORDER BY order_no) FROM dw.fact_sales_orders AS o");
}

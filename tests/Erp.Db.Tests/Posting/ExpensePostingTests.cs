using Erp.Db.Ingest;
using Erp.Db.Tests.Ingest;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

public class ExpensePostingTests
{
    [Fact]
    public async Task Each_fee_of_an_order_becomes_one_expense_row_and_follows_the_order()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        var order = Order("E-1", "completed") with { PlatformCommission = 5m, PaymentFee = 2m };

        await ingest.UpsertOrdersAsync([order]);
        var first = await ExpensesAsync(db);
        var reimport = await ingest.UpsertOrdersAsync([order]);
        var again = await ExpensesAsync(db);
        await ingest.UpsertOrdersAsync([order with { PlatformCommission = 0m, ShippingFee = 3m }]);

        Assert.Equal("payment_fee 2.00 14.20 order:1001:payment_fee|platform_fee 5.00 35.50 order:1001:platform_fee", first);
        Assert.Equal(1L, reimport.Unchanged);
        Assert.Equal(first, again);
        Assert.Equal("logistics 3.00 21.30 order:1001:logistics|payment_fee 2.00 14.20 order:1001:payment_fee", await ExpensesAsync(db));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_expenses WHERE order_id = 1001 AND shop_id = 10 AND expense_date = '2026-03-05'"));
    }

    private static Task<string?> ExpensesAsync(Infrastructure.TestDatabase db) => db.ScalarAsync<string>(
        "SELECT string_agg(category || ' ' || amount || ' ' || amount_cny || ' ' || reference_no, '|' ORDER BY category) FROM dw.fact_expenses");
}

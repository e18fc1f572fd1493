using Erp.Db.Ingest;
using Erp.Db.Tests.Ingest;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

/// <summary>An order's fees as expense rows: derived by dw.order_fee_expenses, never stored in dw.fact_expenses.</summary>
public class ExpensePostingTests
{
    [Fact]
    public async Task Each_fee_of_an_order_is_one_expense_row_that_follows_the_order()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        var order = Order("E-1", "completed") with { PlatformCommission = 5m, PaymentFee = 2m };

        await ingest.UpsertOrdersAsync([order]);
        var first = await FeeExpensesAsync(db);
        var reimport = await ingest.UpsertOrdersAsync([order]);
        var again = await FeeExpensesAsync(db);
        await ingest.UpsertOrdersAsync([order with { PlatformCommission = 0m, ShippingFee = 3m }]);

        Assert.Equal("payment_fee 2.00 14.20 order:1001:payment_fee 1001 10 2026-03-05|platform_fee 5.00 35.50 order:1001:platform_fee 1001 10 2026-03-05", first);
        Assert.Equal(1L, reimport.Unchanged);
        Assert.Equal(first, again);
        Assert.Equal("logistics 3.00 21.30 order:1001:logistics 1001 10 2026-03-05|payment_fee 2.00 14.20 order:1001:payment_fee 1001 10 2026-03-05", await FeeExpensesAsync(db));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_expenses"));
    }

    [Fact]
    public async Task The_fee_rows_of_a_merchant_and_a_period_are_those_of_its_orders_dated_in_it()
    {
        await using var db = await IngestSample.CreateAsync();
        await new Ingestor(db.DataSource).UpsertOrdersAsync([Order("E-1", "completed") with { PlatformCommission = 5m }]);

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.order_fee_expenses(ARRAY[1], '2026-03-05', '2026-03-05')"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.order_fee_expenses(ARRAY[2], '2026-03-05', '2026-03-05')"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.order_fee_expenses(NULL, '2026-03-06', 'infinity')"));
    }

    private static Task<string?> FeeExpensesAsync(Infrastructure.TestDatabase db) => db.ScalarAsync<string>("""
        SELECT string_agg(concat_ws(' ', category, amount, amount_cny, reference_no, order_id, shop_id, expense_date), '|' ORDER BY category)
        FROM dw.order_fee_expenses(NULL, '-infinity', 'infinity')
        """);
}

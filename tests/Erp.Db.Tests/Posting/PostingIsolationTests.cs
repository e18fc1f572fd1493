using Erp.Db.Tests.Ingest;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

public class PostingIsolationTests
{
    [Fact]
    public async Task Posting_one_merchant_never_touches_another_merchants_rows()
    {
        await using var db = await IngestSample.CreateAsync();
        // Lines loaded behind posting's back (as an old load would have): only a re-post books them.
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_order_items (merchant_id, order_id, order_date, line_no, product_id, quantity, unit_price, unit_cost)
            VALUES (1, 3, '2026-04-01', 1, 100, 2, 12.5, 10), (2, 4, '2026-03-01', 1, 200, 1, 999, 40);
            UPDATE dw.fact_sales_orders SET is_invoiced = true, platform_commission = 4;
            """);
        var erp = new ErpDatabase(db.DataSource);
        var before = await BooksOfAsync(db, 1);

        var second = await erp.PostAsync(merchantId: 2);
        var afterSecond = await BooksOfAsync(db, 1);
        var booksOfTwo = await BooksOfAsync(db, 2);
        var first = await erp.PostAsync(merchantId: 1, from: new DateOnly(2026, 4, 1), to: new DateOnly(2026, 4, 30));

        Assert.Equal(before, afterSecond);
        Assert.Equal((1, 1, 1), (second.Orders, second.Movements, second.Receivables));
        Assert.Equal(booksOfTwo, await BooksOfAsync(db, 2));
        Assert.Equal((1, 1, 1), (first.Orders, first.Movements, first.Receivables));
        Assert.Equal("1|1", await db.ScalarAsync<string>(
            "SELECT count(*) FILTER (WHERE merchant_id = 1) || '|' || count(*) FILTER (WHERE merchant_id = 2) FROM dw.fact_accounts_receivable"));
    }

    private static Task<string?> BooksOfAsync(Infrastructure.TestDatabase db, long merchant) => db.ScalarAsync<string>($"""
        SELECT concat_ws(E'\n',
            (SELECT string_agg(t::text, E'\n' ORDER BY t.transaction_id) FROM dw.fact_inventory_transactions AS t WHERE t.merchant_id = {merchant}),
            (SELECT string_agg(f::text, E'\n' ORDER BY f.product_id) FROM dw.fact_inventory AS f WHERE f.merchant_id = {merchant}),
            (SELECT string_agg(r::text, E'\n' ORDER BY r.receivable_id) FROM dw.fact_accounts_receivable AS r WHERE r.merchant_id = {merchant}),
            (SELECT string_agg(e::text, E'\n' ORDER BY e.expense_id) FROM dw.fact_expenses AS e WHERE e.merchant_id = {merchant}),
            (SELECT string_agg(o::text, E'\n' ORDER BY o.order_id) FROM dw.fact_sales_orders AS o WHERE o.merchant_id = {merchant}),
            (SELECT string_agg(a::text, E'\n' ORDER BY a.alert_id) FROM dw.alerts AS a WHERE a.merchant_id = {merchant}))
        """);
}

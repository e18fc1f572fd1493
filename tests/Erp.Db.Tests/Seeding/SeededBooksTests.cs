using Erp.Db.Seeding;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Seeding;

/// <summary>The seeded books come from posting: they reconcile, every view tells the same totals, and posting again changes nothing.</summary>
[Collection(SharesSmallSeed.Name)]
public class SeededBooksTests(SmallSeed seed)
{
    [Fact]
    public async Task Seeded_books_reconcile_the_views_agree_and_posting_again_changes_nothing()
    {
        var db = seed.Db;

        // Stock: everything applied; per product and warehouse, book balance = opening (0) + Σ on-hand
        // movements and book reservation = Σ reserve/release; no line ships more than it holds.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory_transactions WHERE quantity_posted IS DISTINCT FROM quantity_change"));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM dw.fact_inventory AS f
            FULL JOIN (SELECT merchant_id, product_id, warehouse_code,
                              sum(quantity_change) FILTER (WHERE transaction_type NOT IN ('reserve', 'release')) AS on_hand,
                              coalesce(sum(quantity_change) FILTER (WHERE transaction_type IN ('reserve', 'release')), 0) AS reserved
                       FROM dw.fact_inventory_transactions GROUP BY 1, 2, 3) AS t USING (merchant_id, product_id, warehouse_code)
            WHERE f.quantity_on_hand - f.shortage_on_hand IS DISTINCT FROM coalesce(t.on_hand, 0)
               OR f.quantity_reserved + f.shortage_reserved IS DISTINCT FROM t.reserved
            """));
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory_transactions WHERE transaction_type = 'sale_out'") > 1000);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory_transactions WHERE transaction_type = 'reserve'") > 0);
        // The purchases cover the orders: nothing is short, so no shortage alert.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory WHERE shortage_on_hand > 0 OR shortage_reserved > 0"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.alerts WHERE kind = 'stock_shortage'"));
        // The seed ran the scheduled checks once: an open alert per low or empty position and per receivable past due, and
        // those receivables overdue; nothing else alerted.
        Assert.Equal("low_stock,out_of_stock,overdue_receivable", await db.ScalarAsync<string>(
            "SELECT string_agg(DISTINCT kind, ',' ORDER BY kind) FROM dw.alerts WHERE resolved_at IS NULL"));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*)
            FROM (SELECT f.merchant_id, dw.stock_status(f.quantity_available, f.safety_stock) AS kind, p.sku || '@' || f.warehouse_code AS subject
                  FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id)
                  WHERE dw.stock_status(f.quantity_available, f.safety_stock) <> 'normal'
                  UNION ALL
                  SELECT merchant_id, 'overdue_receivable', invoice_no
                  FROM dw.fact_accounts_receivable WHERE due_date < CURRENT_DATE AND outstanding_amount > 0) AS expected
            FULL JOIN (SELECT merchant_id, kind, subject FROM dw.alerts WHERE resolved_at IS NULL) AS raised
              USING (merchant_id, kind, subject)
            WHERE expected.kind IS NULL OR raised.kind IS NULL
            """));
        Assert.Equal(
            await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_accounts_receivable WHERE due_date < CURRENT_DATE AND outstanding_amount > 0"),
            await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_accounts_receivable WHERE status = 'overdue'"));
        // Units shipped per product = the lines of shipped, delivered and completed orders.
        Assert.Equal(
            await db.ScalarAsync<long>("SELECT sum(i.quantity) FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.status IN ('shipped', 'delivered', 'completed')"),
            await db.ScalarAsync<long>("SELECT -sum(quantity_change) FROM dw.fact_inventory_transactions WHERE transaction_type IN ('sale_out', 'return_in')"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE inventory_deducted <> (status IN ('shipped', 'delivered', 'completed'))"));

        // Receivables: one per invoiced order; every payment applied; Σ outstanding = Σ invoiced - Σ applied payments.
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE is_invoiced"),
            await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_accounts_receivable WHERE order_id IS NOT NULL"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_payment_receipts WHERE receivable_id IS NULL"));
        Assert.Equal(
            await db.ScalarAsync<decimal>("SELECT sum(amount) - (SELECT sum(amount) FROM dw.fact_payment_receipts) FROM dw.fact_accounts_receivable"),
            await db.ScalarAsync<decimal>("SELECT sum(outstanding_amount) FROM dw.fact_accounts_receivable"));
        Assert.True(await db.ScalarAsync<decimal>("SELECT sum(outstanding_amount) FROM dw.fact_accounts_receivable") > 0);
        // is_paid comes from settlement: exactly the orders whose receivable is paid.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM dw.fact_sales_orders AS o
            LEFT JOIN dw.fact_accounts_receivable AS r USING (merchant_id, order_id, order_date)
            WHERE o.is_paid <> (r.status IS NOT DISTINCT FROM 'paid')
            """));
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE is_paid") > 500);

        // Orders: profit = revenue - fees - cost, cost from the lines, one fee expense per fee.
        const string FeeExpenses = "dw.order_fee_expenses(NULL, '-infinity', 'infinity')";
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE net_profit_cny <> gmv_cny - fees_cny - cost_amount_cny"));
        Assert.Equal(0L, await db.ScalarAsync<long>($"""
            SELECT count(*) FROM dw.fact_sales_orders AS o
            LEFT JOIN (SELECT merchant_id, order_id, sum(amount) AS fees FROM {FeeExpenses} GROUP BY 1, 2) AS e
              USING (merchant_id, order_id)
            WHERE coalesce(e.fees, 0) <> o.platform_commission + o.payment_fee + o.shipping_fee
            """));
        var fees = await db.ScalarAsync<decimal>($"SELECT sum(amount_cny) FROM {FeeExpenses}");
        Assert.True(fees > 0);

        // Views: the same GMV and net profit for the same period in every view, and as the facts say.
        string[] gmv =
        [
            "SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE dw.is_valid_sale(status) AND order_date BETWEEN DATE '2025-06-01' AND DATE '2025-06-30'",
            "SELECT sum(gmv_cny) FROM mart.mv_daily_sales WHERE sales_date BETWEEN DATE '2025-06-01' AND DATE '2025-06-30'",
            "SELECT sum(gmv_cny) FROM mart.mv_monthly_sales WHERE month_start = DATE '2025-06-01'",
            "SELECT sum(gmv_cny) FROM mart.mv_profit_analysis WHERE month_start = DATE '2025-06-01'",
            "SELECT sum(gmv_cny) FROM mart.mv_financial_overview WHERE month_start = DATE '2025-06-01'",
        ];
        await AssertAllEqualAsync(db, gmv);
        await AssertAllEqualAsync(db, [.. gmv.Select(q => q.Replace("gmv_cny", "net_profit_cny", StringComparison.Ordinal))]);
        // Weeks straddle months: weekly agrees with daily over the whole range.
        await AssertAllEqualAsync(db, ["SELECT sum(gmv_cny) FROM mart.mv_weekly_sales", "SELECT sum(gmv_cny) FROM mart.mv_daily_sales"]);
        await AssertAllEqualAsync(db, ["SELECT sum(net_profit_cny) FROM mart.mv_weekly_sales", "SELECT sum(net_profit_cny) FROM mart.mv_daily_sales"]);

        // Each fee counted once: operating profit subtracts only the expenses that are not order fees.
        await AssertAllEqualAsync(db,
        [
            "SELECT sum(operating_profit_cny) FROM mart.mv_financial_overview",
            "SELECT (SELECT sum(net_profit_cny) FROM dw.fact_sales_orders WHERE dw.is_valid_sale(status)) - (SELECT sum(amount_cny) FROM dw.fact_expenses WHERE order_id IS NULL)",
        ]);
        await AssertAllEqualAsync(db,
        [
            "SELECT sum(operating_profit_cny) FROM mart.mv_profit_analysis",
            "SELECT (SELECT sum(net_profit_cny) FROM dw.fact_sales_orders WHERE dw.is_valid_sale(status)) - (SELECT sum(amount_cny) FROM dw.fact_expenses WHERE order_id IS NULL AND shop_id IS NOT NULL)",
        ]);
        await AssertAllEqualAsync(db,
        [
            "SELECT sum(net_cash_flow_cny) FROM mart.mv_financial_overview",
            $"SELECT (SELECT sum(amount_cny) FROM dw.fact_payment_receipts) - (SELECT sum(amount_cny) FROM dw.fact_expenses) - {fees.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        ]);

        // Posting again changes nothing.
        var before = await SeedChecksums.ReadAsync(db);
        Assert.Equal("(2000,0,0,0,0,0,0)", await db.ScalarAsync<string>("SELECT dw.post()::text")); // 2000 orders looked at, nothing changed
        Assert.Equal(before, await SeedChecksums.ReadAsync(db));
    }

    private static async Task AssertAllEqualAsync(TestDatabase db, IReadOnlyList<string> queries)
    {
        var values = new List<decimal>();
        foreach (var sql in queries)
        {
            values.Add(await db.ScalarAsync<decimal>(sql));
        }
        Assert.NotEqual(0m, values[0]);
        Assert.All(values, v => Assert.Equal(values[0], v));
    }
}

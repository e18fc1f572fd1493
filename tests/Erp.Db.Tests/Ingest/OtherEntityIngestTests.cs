using Erp.Db.Ingest;

namespace Erp.Db.Tests.Ingest;

public class OtherEntityIngestTests
{
    private static readonly DateOnly Day = new(2026, 3, 5);
    private static readonly DateTimeOffset Noon = new(2026, 3, 5, 12, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Product_metrics_upsert_by_shop_sku_and_day()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        ProductMetricRow[] rows =
        [
            new(1, 10, "A-1", Day) { Price = 19.9m, SalesVolume = 3, Visitors = 30, PageViews = 90, Rating = 4.5m },
            new(1, 10, "A-1", Day.AddDays(1)) { Price = 19.9m, SalesVolume = 1, Visitors = 10 },
        ];

        var first = await ingestor.UpsertProductMetricsAsync(rows);
        var second = await ingestor.UpsertProductMetricsAsync(IngestSample.Async(rows));
        var changed = await ingestor.UpsertProductMetricsAsync([rows[0] with { SalesVolume = 6 }]);

        Assert.Equal((2L, 0L, 0L), (first.Inserted, first.Updated, first.Unchanged));
        Assert.Equal((0L, 0L, 2L), (second.Inserted, second.Updated, second.Unchanged));
        Assert.Equal((0L, 1L, 0L), (changed.Inserted, changed.Updated, changed.Unchanged));
        Assert.Equal(0.2m, await db.ScalarAsync<decimal>("SELECT conversion_rate FROM dw.fact_product_metrics WHERE metric_date = '2026-03-05'"));
    }

    [Fact]
    public async Task Product_metrics_of_an_unknown_shop_are_rejected()
    {
        await using var db = await IngestSample.CreateAsync();

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertProductMetricsAsync(
            [new(1, 10, "A-1", Day), new(1, 20, "A-1", Day)]));

        Assert.Equal((2L, "shop_id", "fact_product_metrics_shop_fkey"), (e.RowNumber, e.Field, e.Constraint));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_product_metrics"));
    }

    [Fact]
    public async Task A_rate_too_large_for_its_column_is_named_by_its_two_fields_and_nothing_is_saved()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);

        // 2,000 sales of a listing one visitor saw, 5,000 carts of 4 visitors: rates the columns (numeric(9, 6)) cannot hold.
        var metrics = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertProductMetricsAsync(
            [new(1, 10, "A-1", Day) { SalesVolume = 3, Visitors = 30 }, new(1, 10, "A-1", Day.AddDays(1)) { SalesVolume = 2000, Visitors = 1 }]));
        var traffic = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertTrafficAsync(
            [new TrafficRow(1, 10, Day) { Visitors = 4, AddToCart = 5000, Checkout = 2, Orders = 1 }]));

        Assert.Equal((2L, "sales_volume"), (metrics.RowNumber, metrics.Field));
        Assert.Equal("sales_volume 2000 over visitors 1 makes a conversion_rate of 1,000 or more, more than it may be: check the two columns", metrics.Reason);
        Assert.Equal((1L, "add_to_cart"), (traffic.RowNumber, traffic.Field));
        // 999.9999995 rounds to 1,000.000000 in the column's six decimals: refused too.
        var rounded = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertTrafficAsync(
            [new TrafficRow(1, 10, Day) { Visitors = 2_000_000, Orders = 1_999_999_999 }]));
        Assert.Equal((1L, "orders"), (rounded.RowNumber, rounded.Field));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT (SELECT count(*) FROM dw.fact_product_metrics) + (SELECT count(*) FROM dw.fact_traffic_funnel)"));
    }

    [Fact]
    public async Task Inventory_snapshots_replace_the_position()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);

        var first = await ingestor.UpsertInventoryAsync([new(1, "A-1", 50) { QuantityReserved = 5 }, new(1, "A-1", 7) { WarehouseCode = "sz" }]);
        var second = await ingestor.UpsertInventoryAsync([new(1, "A-1", 40) { QuantityReserved = 5 }, new(1, "A-1", 7) { WarehouseCode = "sz" }]);

        Assert.Equal((2L, 0L, 0L), (first.Inserted, first.Updated, first.Unchanged));
        Assert.Equal((0L, 1L, 1L), (second.Inserted, second.Updated, second.Unchanged));
        // safety_stock not given: the product's (10) is used.
        Assert.Equal("35|10", await db.ScalarAsync<string>("SELECT quantity_available || '|' || safety_stock FROM dw.fact_inventory WHERE warehouse_code = 'default'"));
    }

    [Fact]
    public async Task Inventory_reserved_above_on_hand_is_rejected_by_its_check()
    {
        await using var db = await IngestSample.CreateAsync();

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertInventoryAsync(
            [new(1, "A-1", 5) { QuantityReserved = 9 }]));

        Assert.Equal((1L, "fact_inventory_reserved_within_on_hand"), (e.RowNumber, e.Constraint));
        Assert.Equal("quantity_on_hand, quantity_reserved", e.Field);
        Assert.Equal("quantity_on_hand 5, quantity_reserved 9 is not allowed: the rule is quantity_reserved <= quantity_on_hand", e.Errors[0].Reason);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory"));
    }

    [Fact]
    public async Task Expenses_upsert_by_reference_no()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        ExpenseRow[] rows = [new(1, "BILL-1", Day, "advertising", 300m) { ShopId = 10 }, new(1, "BILL-2", Day, "rent", 1000m)];

        var first = await ingestor.UpsertExpensesAsync(rows);
        var second = await ingestor.UpsertExpensesAsync([rows[0], rows[1] with { Amount = 1200m }]);

        Assert.Equal((2L, 0L, 0L), (first.Inserted, first.Updated, first.Unchanged));
        Assert.Equal((0L, 1L, 1L), (second.Inserted, second.Updated, second.Unchanged));
        Assert.Equal(1500m, await db.ScalarAsync<decimal>("SELECT sum(amount_cny) FROM dw.fact_expenses"));
    }

    [Fact]
    public async Task Expenses_of_an_unknown_category_or_without_reference_are_rejected()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);

        var category = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertExpensesAsync(
            [new(1, "BILL-1", Day, "advertising", 1m), new(1, "BILL-2", Day, "parties", 1m)]));
        var reference = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertExpensesAsync([new(1, "", Day, "rent", 1m)]));

        Assert.Equal((2L, "category", "fact_expenses_category_known"), (category.RowNumber, category.Field, category.Constraint));
        Assert.Equal((1L, "reference_no"), (reference.RowNumber, reference.Field));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_expenses"));
    }

    [Fact]
    public async Task Payments_upsert_by_reference_no_and_find_their_receivable()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_accounts_receivable (merchant_id, invoice_no, amount, invoice_date, due_date)
            VALUES (1, 'INV-1', 100, '2026-03-01', '2026-03-31')
            """);
        var ingestor = new Ingestor(db.DataSource);
        PaymentRow[] rows = [new(1, "TX-1", Day, Noon, 60m) { InvoiceNo = "INV-1" }, new(1, "TX-2", Day, Noon, 5m) { PaymentMethod = "card" }];

        var first = await ingestor.UpsertPaymentsAsync(rows);
        var second = await ingestor.UpsertPaymentsAsync(rows);
        var unknown = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertPaymentsAsync([new(1, "TX-3", Day, Noon, 1m) { InvoiceNo = "INV-9" }]));

        Assert.Equal((2L, 0L, 0L), (first.Inserted, first.Updated, first.Unchanged));
        Assert.Equal((0L, 0L, 2L), (second.Inserted, second.Updated, second.Unchanged));
        Assert.Equal((1L, "invoice_no"), (unknown.RowNumber, unknown.Field));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_payment_receipts WHERE receivable_id IS NOT NULL"));
    }

    [Fact]
    public async Task A_receivable_restated_by_import_keeps_its_payments_whole_and_an_orders_receivable_follows_its_order()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        await ingestor.UpsertReceivablesAsync([new(1, "INV-1", Day, Day.AddDays(30), 100m)]);
        await ingestor.UpsertPaymentsAsync([new(1, "TX-1", Day, Noon, 60m) { InvoiceNo = "INV-1" }]);
        await ingestor.UpsertOrdersAsync([IngestSample.Order("V-1") with { IsInvoiced = true, InvoiceId = "INV-2" }]);
        var before = await db.ScalarAsync<string>("SELECT string_agg(invoice_no || ':' || amount || ':' || received_amount, ',' ORDER BY invoice_no) FROM dw.fact_accounts_receivable");

        var belowReceived = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertReceivablesAsync([new(1, "INV-1", Day, Day.AddDays(30), 50m)]));
        var otherCurrency = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertReceivablesAsync([new(1, "INV-1", Day, Day.AddDays(30), 100m) { CurrencyCode = "USD", ExchangeRate = 7m }]));
        var ordersOwn = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertReceivablesAsync([new(1, "INV-2", Day, Day.AddDays(30), 1m)]));
        var after = await db.ScalarAsync<string>("SELECT string_agg(invoice_no || ':' || amount || ':' || received_amount, ',' ORDER BY invoice_no) FROM dw.fact_accounts_receivable");
        var restated = await ingestor.UpsertReceivablesAsync([new(1, "INV-1", Day, Day.AddDays(30), 80m)]);

        Assert.Equal(("amount", "amount 50 is less than the 60.00 already received on invoice_no INV-1"), (belowReceived.Field, belowReceived.Errors[0].Reason));
        Assert.Equal("currency_code", otherCurrency.Field);
        Assert.Equal("invoice_no", ordersOwn.Field);
        Assert.Contains("is the receivable of order V-1", ordersOwn.Message, StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.Equal(1L, restated.Updated);
        Assert.Equal("80.00|60.00|20.00", await db.ScalarAsync<string>(
            "SELECT amount || '|' || received_amount || '|' || outstanding_amount FROM dw.fact_accounts_receivable WHERE invoice_no = 'INV-1'"));
    }
}

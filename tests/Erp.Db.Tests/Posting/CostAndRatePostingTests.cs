using Erp.Db.Ingest;
using Erp.Db.Tests.Ingest;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

public class CostAndRatePostingTests
{
    [Fact]
    public async Task Purchases_move_the_weighted_average_cost_that_lines_without_cost_take()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertPurchasesAsync([new(1, "PO-1/1", "A-1", 10, 10m, Day), new(1, "PO-2/1", "A-1", 30, 20m, Day)]);
        var average = await db.ScalarAsync<decimal>("SELECT average_unit_cost FROM dw.fact_inventory");

        await ingest.UpsertOrdersAsync([Order("C-1", "paid", gmv: 100m)]);
        await ingest.UpsertOrderItemsAsync([Line("C-1", 1, 3), Line("C-1", 2, 2, unitCost: 8m)]);

        Assert.Equal(17.5m, average);
        Assert.Equal("17.5000|8.0000", await db.ScalarAsync<string>("SELECT string_agg(unit_cost::text, '|' ORDER BY line_no) FROM dw.fact_order_items"));
        // cost = 3 x 17.5 + 2 x 8; units = 5; profit follows: gmv_cny 710 - 68.5.
        Assert.Equal("68.50|5|641.50", await db.ScalarAsync<string>(
            "SELECT cost_amount_cny || '|' || item_count || '|' || gross_profit_cny FROM dw.fact_sales_orders WHERE order_no = 'C-1'"));
        Assert.Equal("40|5|0|0", await PositionAsync(db));
    }

    /// <summary>
    /// Returned goods re-enter the weighted average at the cost they were sold with (the line's, the cost of goods sold the return
    /// takes back), not at the average of the day they come back: 10 at 12.50, 2 sold at 12.50, 10 bought at 20 (18 at 16.6667),
    /// the 2 returned: (8 x 12.50 + 10 x 20 + 2 x 12.50) / 20 = 16.25, where entering at the average left 16.6667.
    /// </summary>
    [Fact]
    public async Task Returned_goods_re_enter_the_average_cost_at_the_cost_they_were_sold_with()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertPurchasesAsync([new(1, "PO-1/1", "A-1", 10, 12.5m, Day)]);
        await ingest.UpsertOrdersAsync([Order("C-1", "paid")]);
        await ingest.UpsertOrderItemsAsync([Line("C-1", 1, 2)]);
        await ingest.UpsertOrdersAsync([Order("C-1", "shipped")]);
        await ingest.UpsertPurchasesAsync([new(1, "PO-2/1", "A-1", 10, 20m, Day)]);
        var beforeReturn = await db.ScalarAsync<decimal>("SELECT average_unit_cost FROM dw.fact_inventory");

        await ingest.UpsertOrdersAsync([Order("C-1", "returned")]);
        var posted = await new ErpDatabase(db.DataSource).PostAsync();

        Assert.Equal(16.6667m, beforeReturn);
        Assert.Equal("20|0|0|0", await PositionAsync(db));
        // The value on hand is the facts': the purchases' value less what shipped at its line cost, plus what came back at it.
        Assert.Equal(16.25m, await db.ScalarAsync<decimal>("SELECT average_unit_cost FROM dw.fact_inventory"));
        Assert.Equal(16.25m, await db.ScalarAsync<decimal>("""
            SELECT round(sum(quantity_change * unit_cost) / sum(quantity_change), 4)
            FROM dw.fact_inventory_transactions WHERE transaction_type IN ('purchase_in', 'sale_out', 'return_in')
            """));
        Assert.Equal("12.5000", await db.ScalarAsync<string>("SELECT unit_cost::text FROM dw.fact_inventory_transactions WHERE transaction_type = 'return_in'"));
        Assert.True(posted.NothingChanged, posted.ToString());
    }

    [Fact]
    public async Task A_purchase_reimported_with_another_quantity_applies_just_the_difference()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertPurchasesAsync([new(1, "PO-1/1", "A-1", 10, 10m, Day)]);
        var same = await ingest.UpsertPurchasesAsync([new(1, "PO-1/1", "A-1", 10, 10m, Day)]);
        var changed = await ingest.UpsertPurchasesAsync([new(1, "PO-1/1", "A-1", 12, 10m, Day)]);

        Assert.Equal((0L, 1L), (same.Updated, same.Unchanged));
        Assert.Equal(1L, changed.Updated);
        Assert.Equal("12|0|0|0", await PositionAsync(db));
        Assert.Equal("purchase_in:12", await MovementsAsync(db));
    }

    [Fact]
    public async Task An_order_without_a_rate_takes_the_rate_of_its_date_or_the_latest_before()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_exchange_rates (currency_code, rate_date, rate_to_cny)
            VALUES ('USD', '2026-03-03', 7.15), ('USD', '2026-03-04', 7.2), ('USD', '2026-03-06', 7.3), ('EUR', '2026-03-05', 7.8)
            """);
        var ingest = new Ingestor(db.DataSource);

        await ingest.UpsertOrdersAsync([
            Order("R-1", "paid") with { ExchangeRate = null },
            Order("R-2", "paid") with { ExchangeRate = null, CurrencyCode = "EUR" },
            Order("R-3", "paid") with { ExchangeRate = null, CurrencyCode = "CNY" },
            Order("R-4", "paid") with { ExchangeRate = 7.25m },
        ]);

        Assert.Equal("R-1 7.20000000 720.00|R-2 7.80000000 780.00|R-3 1.00000000 100.00|R-4 7.25000000 725.00", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || ' ' || exchange_rate || ' ' || gmv_cny, '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'R-%'"));
    }

    [Fact]
    public async Task An_order_without_a_rate_and_none_in_the_table_is_rejected_naming_the_row()
    {
        await using var db = await IngestSample.CreateAsync();

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersAsync([
            Order("R-1", "paid"), Order("R-2", "paid") with { ExchangeRate = null, CurrencyCode = "GBP" }]));

        Assert.Equal((2L, "exchange_rate"), (e.RowNumber, e.Field));
        Assert.Contains("no GBP rate from 2026-02-02 to 2026-03-05 (it has none before)", e.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'R-%'"));
    }
}

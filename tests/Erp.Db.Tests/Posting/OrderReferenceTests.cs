using Erp.Db.Ingest;
using Erp.Db.Tests.Ingest;
using Npgsql;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

/// <summary>
/// Stock movements, receivables and expenses name their order (merchant_id, order_id, order_date) with checks that run once per
/// statement (dw.check_order_references, dw.cascade_order_keys) instead of row foreign keys; the outcomes must be those of the
/// foreign keys they replace.
/// </summary>
public class OrderReferenceTests
{
    [Theory]
    [InlineData("fact_expenses", "INSERT INTO dw.fact_expenses (merchant_id, expense_date, category, currency_code, exchange_rate, amount, order_id, order_date) VALUES (1, '2026-03-05', 'other', 'CNY', 1, 5, {0}, '2026-03-05')")]
    [InlineData("fact_accounts_receivable", "INSERT INTO dw.fact_accounts_receivable (merchant_id, shop_id, invoice_no, amount, received_amount, invoice_date, due_date, status, order_id, order_date) VALUES (1, 10, 'INV-X', 5, 0, '2026-03-05', '2026-04-05', 'open', {0}, '2026-03-05')")]
    [InlineData("fact_inventory_transactions", "INSERT INTO dw.fact_inventory_transactions (merchant_id, transaction_date, product_id, warehouse_code, transaction_type, quantity_change, order_id, order_date, occurred_at) VALUES (1, '2026-03-05', 100, 'default', 'adjustment', 1, {0}, '2026-03-05', now())")]
    public async Task A_row_naming_a_missing_order_fails_like_the_foreign_key_and_saves_nothing(string table, string insert)
    {
        await using var db = await IngestSample.CreateAsync();
        await new Ingestor(db.DataSource).UpsertOrdersAsync([Order("M-1", "paid")]);
        var order = await db.ScalarAsync<long>("SELECT order_id FROM dw.fact_sales_orders WHERE order_no = 'M-1'");
        var before = await db.ScalarAsync<long>($"SELECT count(*) FROM dw.{table}");

        await db.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, insert, order));
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, insert.Replace("INV-X", "INV-Y"), order + 1000)));

        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, $"{table}_order_fkey", table), (error.SqlState, error.ConstraintName, error.TableName));
        Assert.Contains($"violates foreign key constraint \"{table}_order_fkey\"", error.MessageText);
        Assert.Equal(before + 1, await db.ScalarAsync<long>($"SELECT count(*) FROM dw.{table}"));
    }

    [Fact]
    public async Task An_order_moved_to_another_month_takes_its_movements_receivable_and_expenses_along()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([Order("V-1", "shipped") with { IsInvoiced = true, InvoiceId = "INV-V-1", PlatformCommission = 3m }]);
        await ingest.UpsertOrderItemsAsync([Line("V-1", 1, 2)]);
        const string Referencing = """
            SELECT (SELECT count(*) FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'V-1')
                || '|' || (SELECT count(*) FROM dw.fact_accounts_receivable AS r JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'V-1')
                || '|' || (SELECT count(*) FROM dw.fact_expenses AS e JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'V-1')
            """;
        var before = await db.ScalarAsync<string>(Referencing);

        await db.ExecuteAsync("UPDATE dw.fact_sales_orders SET order_date = '2026-04-02' WHERE order_no = 'V-1'");

        Assert.Equal("1|1|1", before);
        Assert.Equal(before, await db.ScalarAsync<string>(Referencing));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM dw.fact_inventory_transactions WHERE order_date = '2026-03-05')
                 + (SELECT count(*) FROM dw.fact_accounts_receivable WHERE order_date = '2026-03-05')
                 + (SELECT count(*) FROM dw.fact_expenses WHERE order_date = '2026-03-05')
            """));
    }

    [Fact]
    public async Task An_order_still_named_by_its_expenses_cannot_be_deleted_and_one_without_them_can()
    {
        await using var db = await IngestSample.CreateAsync();
        await new Ingestor(db.DataSource).UpsertOrdersAsync([Order("D-1", "paid") with { PlatformCommission = 2m }, Order("D-2", "paid")]);

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("DELETE FROM dw.fact_sales_orders WHERE order_no = 'D-1'"));
        await db.ExecuteAsync("DELETE FROM dw.fact_sales_orders WHERE order_no = 'D-2'");

        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "fact_expenses_order_fkey"), (error.SqlState, error.ConstraintName));
        Assert.Equal("D-1", await db.ScalarAsync<string>("SELECT string_agg(order_no, ',') FROM dw.fact_sales_orders WHERE order_no LIKE 'D-%'"));
    }
}

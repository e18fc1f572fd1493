using Erp.Db.Ingest;
using Erp.Db.Tests.Ingest;
using Npgsql;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

/// <summary>
/// Order lines, stock movements, receivables and expenses name their order (merchant_id, order_id, order_date) with checks that
/// run once per statement (dw.check_order_references, dw.cascade_order_keys) instead of row foreign keys; the outcomes must be those
/// of the foreign keys they replace, cascades and locks included.
/// </summary>
public class OrderReferenceTests
{
    [Theory]
    [InlineData("fact_expenses", "INSERT INTO dw.fact_expenses (merchant_id, expense_date, category, currency_code, exchange_rate, amount, order_id, order_date) VALUES (1, '2026-03-05', 'other', 'CNY', 1, 5, {0}, '2026-03-05')")]
    [InlineData("fact_accounts_receivable", "INSERT INTO dw.fact_accounts_receivable (merchant_id, shop_id, invoice_no, amount, received_amount, invoice_date, due_date, status, order_id, order_date) VALUES (1, 10, 'INV-X', 5, 0, '2026-03-05', '2026-04-05', 'open', {0}, '2026-03-05')")]
    [InlineData("fact_order_items", "INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, discount_amount) VALUES (1, '2026-03-05', {0}, 9, 100, 1, 10, 0)")]
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
    public async Task An_order_moved_to_another_month_takes_its_lines_movements_receivable_and_expenses_along()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([Order("V-1", "shipped") with { IsInvoiced = true, InvoiceId = "INV-V-1", PlatformCommission = 3m }]);
        await ingest.UpsertOrderItemsAsync([Line("V-1", 1, 2)]);
        await ExpenseOfOrderAsync(db, "V-1");
        const string Referencing = """
            SELECT (SELECT count(*) FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'V-1')
                || '|' || (SELECT count(*) FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'V-1')
                || '|' || (SELECT count(*) FROM dw.fact_accounts_receivable AS r JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'V-1')
                || '|' || (SELECT count(*) FROM dw.fact_expenses AS e JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'V-1')
            """;
        var before = await db.ScalarAsync<string>(Referencing);

        await db.ExecuteAsync("UPDATE dw.fact_sales_orders SET order_date = '2026-04-02' WHERE order_no = 'V-1'");

        Assert.Equal("1|1|1|1", before);
        Assert.Equal(before, await db.ScalarAsync<string>(Referencing));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM dw.fact_order_items WHERE order_date = '2026-03-05')
                 + (SELECT count(*) FROM dw.fact_inventory_transactions WHERE order_date = '2026-03-05')
                 + (SELECT count(*) FROM dw.fact_accounts_receivable WHERE order_date = '2026-03-05')
                 + (SELECT count(*) FROM dw.fact_expenses WHERE order_date = '2026-03-05')
            """));
    }

    [Fact]
    public async Task An_order_still_named_by_its_expenses_cannot_be_deleted_and_one_without_them_goes_with_its_lines()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([Order("D-1", "pending") with { PlatformCommission = 2m }, Order("D-2", "pending")]);
        await ingest.UpsertOrderItemsAsync([Line("D-1", 1, 1), Line("D-2", 1, 1), Line("D-2", 2, 3)]);
        await ExpenseOfOrderAsync(db, "D-1");
        const string Lines = "SELECT string_agg(o.order_no || '/' || i.line_no, ',' ORDER BY o.order_no, i.line_no) FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)";

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("DELETE FROM dw.fact_sales_orders WHERE order_no = 'D-1'"));
        var linesAfterRefusal = await db.ScalarAsync<string>(Lines);
        await db.ExecuteAsync("DELETE FROM dw.fact_sales_orders WHERE order_no = 'D-2'");

        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "fact_expenses_order_fkey"), (error.SqlState, error.ConstraintName));
        Assert.Equal("D-1/1,D-2/1,D-2/2", linesAfterRefusal);
        Assert.Equal("D-1", await db.ScalarAsync<string>("SELECT string_agg(order_no, ',') FROM dw.fact_sales_orders WHERE order_no LIKE 'D-%'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items"));
    }

    [Fact]
    public async Task Truncating_the_orders_truncates_their_lines()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([Order("T-1", "pending")]);
        await ingest.UpsertOrderItemsAsync([Line("T-1", 1, 1)]);

        await db.ExecuteAsync("TRUNCATE dw.fact_sales_orders");

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT (SELECT count(*) FROM dw.fact_sales_orders) + (SELECT count(*) FROM dw.fact_order_items)"));
    }

    [Fact]
    public async Task An_order_whose_line_is_being_written_cannot_be_deleted_until_that_transaction_ends()
    {
        await using var db = await IngestSample.CreateAsync();
        await new Ingestor(db.DataSource).UpsertOrdersAsync([Order("L-1", "pending")]);
        var order = await db.ScalarAsync<long>("SELECT order_id FROM dw.fact_sales_orders WHERE order_no = 'L-1'");

        await using var writer = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand($"INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, discount_amount) VALUES (1, '2026-03-05', {order}, 1, 100, 1, 10, 0)", writer, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }
        await using var deleter = await db.DataSource.OpenConnectionAsync();
        await using (var timeout = new NpgsqlCommand("SET lock_timeout = '300ms'", deleter))
        {
            await timeout.ExecuteNonQueryAsync();
        }
        await using var delete = new NpgsqlCommand("DELETE FROM dw.fact_sales_orders WHERE order_no = 'L-1'", deleter);
        var error = await Assert.ThrowsAsync<PostgresException>(() => delete.ExecuteNonQueryAsync());
        await transaction.CommitAsync();

        Assert.Equal(PostgresErrorCodes.LockNotAvailable, error.SqlState);
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM dw.fact_order_items WHERE order_id = {order}"));
    }

    /// <summary>
    /// A statement of 10,000 rows or more is checked from an analyzed table of its keys instead of the transition table
    /// (dw.check_order_references): the outcomes must be the same on both sides of that size, for INSERT and UPDATE, and a
    /// second large statement of the same transaction is checked too.
    /// </summary>
    [Theory]
    [InlineData(9_999)]
    [InlineData(10_000)]
    public async Task A_statement_of_many_rows_naming_a_missing_order_fails_like_one_of_few(int rows)
    {
        await using var db = await IngestSample.CreateAsync();
        await new Ingestor(db.DataSource).UpsertOrdersAsync([Order("N-1", "pending")]);
        var order = await db.ScalarAsync<long>("SELECT order_id FROM dw.fact_sales_orders WHERE order_no = 'N-1'");
        string Movements(long lastRowsOrder) => $"""
            INSERT INTO dw.fact_inventory_transactions (merchant_id, transaction_date, product_id, warehouse_code, transaction_type, quantity_change, order_id, order_date, occurred_at)
            SELECT 1, '2026-03-05', 100, 'default', 'adjustment', 1, CASE WHEN n = {rows} THEN {lastRowsOrder} ELSE {order} END, '2026-03-05', now()
            FROM generate_series(1, {rows}) AS n
            """;

        var inserting = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(Movements(order + 1000)));
        await db.ExecuteAsync($"BEGIN; {Movements(order)}; {Movements(order)}; COMMIT");
        var updating = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(
            $"UPDATE dw.fact_inventory_transactions SET order_id = CASE WHEN quantity_change = 1 AND transaction_id = (SELECT max(transaction_id) FROM dw.fact_inventory_transactions) THEN {order + 1000} ELSE order_id END, quantity_change = 2"));

        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "fact_inventory_transactions_order_fkey"), (inserting.SqlState, inserting.ConstraintName));
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "fact_inventory_transactions_order_fkey"), (updating.SqlState, updating.ConstraintName));
        Assert.Equal(2L * rows, await db.ScalarAsync<long>($"SELECT count(*) FILTER (WHERE order_id = {order} AND quantity_change = 1) FROM dw.fact_inventory_transactions"));
    }

    /// <summary>An expense imported against the order (its packaging, say): a row that names the order.</summary>
    private static Task ExpenseOfOrderAsync(Infrastructure.TestDatabase db, string orderNo) => db.ExecuteAsync($"""
        INSERT INTO dw.fact_expenses (merchant_id, expense_date, category, amount, order_id, order_date)
        SELECT merchant_id, order_date, 'packaging', 1, order_id, order_date FROM dw.fact_sales_orders WHERE order_no = '{orderNo}'
        """);
}

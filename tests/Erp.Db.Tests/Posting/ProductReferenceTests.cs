using System.Globalization;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;
using Npgsql;

namespace Erp.Db.Tests.Posting;

/// <summary>
/// Order lines and stock movements name their product (merchant_id, product_id) with checks that run once per statement
/// (dw.check_product_references, dw.restrict_product_keys) instead of row foreign keys; the outcomes must be those of the
/// foreign keys they replace, locks included. Product 100 is merchant 1's, product 200 merchant 2's (SampleData).
/// </summary>
public class ProductReferenceTests
{
    private const string Line = "INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price) VALUES (1, '2026-03-01', 1, {0}, {1}, 1, 10)";
    private const string Movement = "INSERT INTO dw.fact_inventory_transactions (merchant_id, transaction_date, product_id, transaction_type, quantity_change, occurred_at) VALUES (1, '2026-03-01', {1}, 'adjustment', {0}, now())";

    [Theory]
    [InlineData("fact_order_items", Line, 999)]
    [InlineData("fact_order_items", Line, 200)]
    [InlineData("fact_inventory_transactions", Movement, 999)]
    [InlineData("fact_inventory_transactions", Movement, 200)]
    public async Task A_row_naming_a_missing_product_or_another_merchants_fails_like_the_foreign_key_and_saves_nothing(string table, string insert, long product)
    {
        await using var db = await IngestSample.CreateAsync();
        var before = await db.ScalarAsync<long>($"SELECT count(*) FROM dw.{table}");

        await db.ExecuteAsync(Sql(insert, 1, 100));
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(Sql(insert, 2, product)));

        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, $"{table}_product_fkey", table), (error.SqlState, error.ConstraintName, error.TableName));
        Assert.Contains($"violates foreign key constraint \"{table}_product_fkey\"", error.MessageText);
        Assert.Equal(before + 1, await db.ScalarAsync<long>($"SELECT count(*) FROM dw.{table}"));
    }

    [Fact]
    public async Task A_line_changed_to_a_missing_product_fails_and_keeps_its_product()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync(Sql(Line, 1, 100));

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("UPDATE dw.fact_order_items SET product_id = 999 WHERE order_id = 1"));

        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "fact_order_items_product_fkey"), (error.SqlState, error.ConstraintName));
        Assert.Equal(100L, await db.ScalarAsync<long>("SELECT product_id FROM dw.fact_order_items WHERE order_id = 1"));
    }

    [Fact]
    public async Task A_product_still_named_cannot_be_deleted_or_rekeyed_and_one_named_by_nothing_can()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("INSERT INTO dw.dim_products (product_id, merchant_id, sku, product_name) VALUES (101, 1, 'A-2', 'Cup'), (102, 1, 'A-3', 'Plate'), (103, 1, 'A-4', 'Bowl')");
        await db.ExecuteAsync(Sql(Line, 1, 101));
        await db.ExecuteAsync(Sql(Movement, 5, 102));

        var lineNamed = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("DELETE FROM dw.dim_products WHERE product_id = 101"));
        var movementNamed = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("DELETE FROM dw.dim_products WHERE product_id IN (102, 103)"));
        var rekeyed = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("UPDATE dw.dim_products SET product_id = 104 WHERE product_id = 101"));
        await db.ExecuteAsync("UPDATE dw.dim_products SET unit_cost = 3 WHERE product_id IN (101, 102)");
        await db.ExecuteAsync("DELETE FROM dw.dim_products WHERE product_id = 103");

        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "fact_order_items_product_fkey"), (lineNamed.SqlState, lineNamed.ConstraintName));
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "fact_inventory_transactions_product_fkey"), (movementNamed.SqlState, movementNamed.ConstraintName));
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "fact_order_items_product_fkey"), (rekeyed.SqlState, rekeyed.ConstraintName));
        Assert.Equal("101,102", await db.ScalarAsync<string>("SELECT string_agg(product_id::text, ',' ORDER BY product_id) FROM dw.dim_products WHERE product_id BETWEEN 101 AND 199"));
    }

    [Fact]
    public async Task The_products_cannot_be_truncated_without_the_lines_and_movements_that_name_them()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync(Sql(Line, 1, 100));

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("TRUNCATE dw.dim_products CASCADE"));
        var kept = await db.ScalarAsync<long>("SELECT (SELECT count(*) FROM dw.dim_products) + (SELECT count(*) FROM dw.fact_order_items)");
        await db.ExecuteAsync("TRUNCATE dw.dim_products, dw.fact_order_items, dw.fact_inventory_transactions CASCADE");

        Assert.Equal(PostgresErrorCodes.FeatureNotSupported, error.SqlState);
        Assert.Equal(3L, kept);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT (SELECT count(*) FROM dw.dim_products) + (SELECT count(*) FROM dw.fact_order_items)"));
    }

    [Fact]
    public async Task A_product_whose_line_is_being_written_cannot_be_deleted_until_that_transaction_ends()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("INSERT INTO dw.dim_products (product_id, merchant_id, sku, product_name) VALUES (101, 1, 'A-2', 'Cup')");

        await using var writer = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(Sql(Line, 1, 101), writer, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }
        await using var deleter = await db.DataSource.OpenConnectionAsync();
        await using (var timeout = new NpgsqlCommand("SET lock_timeout = '300ms'", deleter))
        {
            await timeout.ExecuteNonQueryAsync();
        }
        await using var delete = new NpgsqlCommand("DELETE FROM dw.dim_products WHERE product_id = 101", deleter);
        var error = await Assert.ThrowsAsync<PostgresException>(() => delete.ExecuteNonQueryAsync());
        await transaction.CommitAsync();

        Assert.Equal(PostgresErrorCodes.LockNotAvailable, error.SqlState);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items WHERE product_id = 101"));
    }

    private static string Sql(string format, int first, long product) => string.Format(CultureInfo.InvariantCulture, format, first, product);
}

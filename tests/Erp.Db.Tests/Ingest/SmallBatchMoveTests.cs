using Erp.Db.Ingest;
using Erp.Db.Tests.Infrastructure;
using Npgsql;
using static Erp.Db.Tests.Ingest.IngestSample;

namespace Erp.Db.Tests.Ingest;

/// <summary>
/// A batch of a few orders asks whether it moves a stored order of its keys, by a statement prepared on the connection (KeyedQuestion);
/// a larger batch asks it of its temp table. Both find the same orders to move, and a connection string that turns preparation off
/// (<c>Max Auto Prepare=0</c>) keeps the ingest from preparing anything.
/// </summary>
public class SmallBatchMoveTests
{
    /// <summary>S-1, stored on 5 March, corrected to 2 March.</summary>
    private static OrderRow Redated() => Order("S-1") with
    {
        OrderDate = new DateOnly(2026, 3, 2),
        OrderedAt = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)),
        PaidAt = new DateTimeOffset(2026, 3, 2, 9, 35, 0, TimeSpan.FromHours(8)),
    };

    [Theory]
    [InlineData(1, "")] // the keys, by the prepared statement
    [InlineData(16, "")] // the most rows that ask of their keys
    [InlineData(17, "")] // the temp table
    [InlineData(1, ";Max Auto Prepare=0")] // the temp table: nothing may be prepared
    public async Task A_re_dated_order_is_moved_whichever_way_the_batch_asks(int rows, string settings)
    {
        await using var db = await IngestSample.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString + settings);
        var ingest = new Ingestor(dataSource);
        await ingest.UpsertOrdersAsync([Order("S-1")]);
        var orderId = await db.ScalarAsync<long>("SELECT order_id FROM dw.fact_sales_orders WHERE order_no = 'S-1'");

        var result = await ingest.UpsertOrdersAsync([Redated(), .. Enumerable.Range(1, rows - 1).Select(i => Order($"F-{i}"))]);

        Assert.Equal((rows - 1L, 1L), (result.Inserted, result.Updated));
        Assert.Equal($"{orderId}|2026-03-02", await db.ScalarAsync<string>(
            "SELECT string_agg(order_id || '|' || order_date, ',') FROM dw.fact_sales_orders WHERE order_no = 'S-1'"));
        // Imported again as it now is: nothing to move, nothing changed.
        var again = await ingest.UpsertOrdersAsync([Redated(), .. Enumerable.Range(1, rows - 1).Select(i => Order($"F-{i}"))]);
        Assert.Equal((0L, 0L, (long)rows), (again.Inserted, again.Updated, again.Unchanged));
    }

    [Theory]
    [InlineData("", 1L)]
    [InlineData(";Max Auto Prepare=0", 0L)]
    public async Task The_question_stays_prepared_on_the_pooled_connection_unless_preparation_is_off(string settings, long prepared)
    {
        await using var db = await IngestSample.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString + ";Maximum Pool Size=1" + settings);
        var ingest = new Ingestor(dataSource);

        await ingest.UpsertOrdersAsync([Order("S-1")]);
        await ingest.UpsertOrdersAsync([Order("S-2")]);

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%fact_sales_orders AS o%' AND statement LIKE '%unnest($1::bigint[]%'",
            connection);
        Assert.Equal(prepared, (long)(await command.ExecuteScalarAsync())!);
    }
}

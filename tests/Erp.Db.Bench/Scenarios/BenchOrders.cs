using Erp.Db.Ingest;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Bench.Scenarios;

/// <summary>Deterministic orders for the ingest scenarios, and the baselines that load them without Erp.Db.</summary>
internal static class BenchOrders
{
    private const string Columns = "merchant_id, shop_id, order_no, order_date, ordered_at, gmv, status, item_count, platform_commission";

    private static readonly DateOnly FirstDay = DateOnly.FromDateTime(DateTime.Today).AddDays(-364);

    public static IEnumerable<OrderRow> Generate(int from, int count, decimal gmvOffset = 0) =>
        Enumerable.Range(from, count).Select(i =>
        {
            var day = FirstDay.AddDays(i % 365);
            return new OrderRow(BenchDatabase.Merchant, 1 + (i % BenchDatabase.Shops), $"B{i:D9}", day,
                new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero), 10 + (i % 500) + gmvOffset)
            {
                Status = "completed",
                ItemCount = 1 + (i % 3),
                PlatformCommission = 1.5m,
            };
        });

    /// <summary>The floor: binary COPY of the same rows straight into the indexed fact table.</summary>
    public static async Task CopyAsync(NpgsqlDataSource dataSource, IEnumerable<OrderRow> rows)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY dw.fact_sales_orders ({Columns}) FROM STDIN (FORMAT BINARY)");
        await WriteAsync(importer, rows);
    }

    /// <summary>The rows' nine columns, in the order of <see cref="Columns"/>, then the end of the COPY.</summary>
    private static async Task WriteAsync(NpgsqlBinaryImporter importer, IEnumerable<OrderRow> rows)
    {
        foreach (var o in rows)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(o.MerchantId, NpgsqlDbType.Bigint);
            await importer.WriteAsync(o.ShopId, NpgsqlDbType.Bigint);
            await importer.WriteAsync(o.OrderNo, NpgsqlDbType.Text);
            await importer.WriteAsync(o.OrderDate, NpgsqlDbType.Date);
            await importer.WriteAsync(o.OrderedAt, NpgsqlDbType.TimestampTz);
            await importer.WriteAsync(o.Gmv, NpgsqlDbType.Numeric);
            await importer.WriteAsync(o.Status, NpgsqlDbType.Text);
            await importer.WriteAsync(o.ItemCount, NpgsqlDbType.Integer);
            await importer.WriteAsync(o.PlatformCommission, NpgsqlDbType.Numeric);
        }
        await importer.CompleteAsync();
    }

    /// <summary>
    /// The floor of an upsert: binary COPY of the rows into a temp table, then one hand-written INSERT ... ON CONFLICT DO UPDATE
    /// into the fact, in one transaction. No checks, no counts, no posting. The temp table gets the same buffers the ingest gives its
    /// own (BatchLoader.TempBuffers), so that the floor is what a hand-writer who knows the setting would send.
    /// <paramref name="changedOnly"/>: the update skips a row whose values are those stored (WHERE ... IS DISTINCT FROM), as a
    /// hand-writer would for rows that mostly come back unchanged.
    /// </summary>
    public static async Task CopyThenUpsertAsync(NpgsqlDataSource dataSource, IEnumerable<OrderRow> rows, bool changedOnly = false)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var buffers = new NpgsqlCommand("SET LOCAL temp_buffers = '256MB'", connection, transaction))
        {
            await buffers.ExecuteNonQueryAsync();
        }
        await using (var create = new NpgsqlCommand(
            "CREATE TEMP TABLE floor_rows (merchant_id bigint, shop_id bigint, order_no text, order_date date, ordered_at timestamptz, gmv numeric, "
            + "status text, item_count integer, platform_commission numeric) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync();
        }
        await using (var importer = await connection.BeginBinaryImportAsync(
            $"COPY floor_rows ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            await WriteAsync(importer, rows);
        }
        await using (var upsert = new NpgsqlCommand(
            "INSERT INTO dw.fact_sales_orders AS d (merchant_id, shop_id, order_no, order_date, ordered_at, gmv, status, item_count, platform_commission) "
            + "SELECT merchant_id, shop_id, order_no, order_date, ordered_at, gmv, status, item_count, platform_commission FROM floor_rows "
            + "ON CONFLICT (merchant_id, shop_id, order_no, order_date) DO UPDATE SET gmv = EXCLUDED.gmv, status = EXCLUDED.status,"
            + " item_count = EXCLUDED.item_count, platform_commission = EXCLUDED.platform_commission, ordered_at = EXCLUDED.ordered_at"
            + (changedOnly
                ? " WHERE (d.gmv, d.status, d.item_count, d.platform_commission, d.ordered_at)"
                  + " IS DISTINCT FROM (EXCLUDED.gmv, EXCLUDED.status, EXCLUDED.item_count, EXCLUDED.platform_commission, EXCLUDED.ordered_at)"
                : ""), connection, transaction)
        { CommandTimeout = 0 })
        {
            await upsert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    /// <summary>The usual application approach: batches of 1,000 rows in multi-row INSERT ... ON CONFLICT DO UPDATE statements, committed per batch.</summary>
    public static async Task MultiRowUpsertAsync(NpgsqlDataSource dataSource, IEnumerable<OrderRow> rows)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        foreach (var batch in rows.Chunk(1000))
        {
            var values = string.Join(",", batch.Select((_, i) => $"(@m{i}, @s{i}, @n{i}, @d{i}, @t{i}, @g{i}, @st{i}, @c{i}, @pc{i})"));
            await using var command = new NpgsqlCommand(
                "INSERT INTO dw.fact_sales_orders (merchant_id, shop_id, order_no, order_date, ordered_at, gmv, status, item_count, platform_commission) VALUES "
                + values
                + " ON CONFLICT (merchant_id, shop_id, order_no, order_date) DO UPDATE SET gmv = EXCLUDED.gmv, status = EXCLUDED.status,"
                + " item_count = EXCLUDED.item_count, platform_commission = EXCLUDED.platform_commission, ordered_at = EXCLUDED.ordered_at", connection);
            for (var i = 0; i < batch.Length; i++)
            {
                var o = batch[i];
                command.Parameters.AddWithValue($"m{i}", o.MerchantId);
                command.Parameters.AddWithValue($"s{i}", o.ShopId);
                command.Parameters.AddWithValue($"n{i}", o.OrderNo);
                command.Parameters.AddWithValue($"d{i}", NpgsqlDbType.Date, o.OrderDate);
                command.Parameters.AddWithValue($"t{i}", o.OrderedAt);
                command.Parameters.AddWithValue($"g{i}", o.Gmv);
                command.Parameters.AddWithValue($"st{i}", o.Status);
                command.Parameters.AddWithValue($"c{i}", o.ItemCount);
                command.Parameters.AddWithValue($"pc{i}", o.PlatformCommission);
            }
            await command.ExecuteNonQueryAsync();
        }
    }
}

using Npgsql;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// seed: the generator and loader's rows/s (the shared seeded database's load) against raw binary
/// COPY of the same orders into a fresh warehouse that holds the same dimensions.
/// </summary>
internal sealed class SeedScenario : IScenario
{
    private static readonly string[] Dimensions = ["dw.dim_merchants", "dw.dim_shops", "dw.dim_categories", "dw.dim_products", "dw.dim_customers", "dw.fact_exchange_rates"];

    public string Name => "seed";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var seeded = await context.SeededAsync();
        if (seeded.Seed is null)
        {
            context.Log.WriteLine("seed: skipped: the seeded database is a copy of a kept template (--keep-seeded), loaded in another run.");
            return [];
        }
        await using var target = NpgsqlDataSource.Create(await context.CreateMigratedDatabaseAsync("seed_copy"));
        await using var source = await seeded.DataSource.OpenConnectionAsync(cancellationToken);
        await using var sink = await target.OpenConnectionAsync(cancellationToken);
        foreach (var table in Dimensions)
        {
            await CopyTableAsync(source, sink, table, cancellationToken);
        }
        await using (var partitions = new NpgsqlCommand("SELECT dw.ensure_partitions(3, date '2020-01-01')", sink))
        {
            await partitions.ExecuteNonQueryAsync(cancellationToken);
        }
        var orders = seeded.Seed.Tables.Single(t => t.Table == "dw.fact_sales_orders").Rows;
        var copy = await Timing.TimeAsync(() => CopyTableAsync(source, sink, "dw.fact_sales_orders", cancellationToken));

        return [BenchResult.Compare("seed.load", seeded.Seed.RowsPerSecond, "rows/s", "raw binary COPY of the seeded orders", orders / copy.TotalSeconds)];
    }

    /// <summary>Binary COPY of a table's stored (not generated) columns from one database to another.</summary>
    private static async Task CopyTableAsync(NpgsqlConnection source, NpgsqlConnection sink, string table, CancellationToken cancellationToken)
    {
        await using var columnsCommand = new NpgsqlCommand(
            "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = @table::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''",
            source);
        columnsCommand.Parameters.AddWithValue("table", table);
        var columns = (string)(await columnsCommand.ExecuteScalarAsync(cancellationToken))!;
        await using var reader = await source.BeginRawBinaryCopyAsync($"COPY (SELECT {columns} FROM {table}) TO STDOUT (FORMAT BINARY)", cancellationToken);
        await using var writer = await sink.BeginRawBinaryCopyAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        await reader.CopyToAsync(writer, cancellationToken);
    }
}

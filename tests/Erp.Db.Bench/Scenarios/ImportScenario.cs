using System.Globalization;
using Erp.Db.Cli;
using Npgsql;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// import.csv: N orders written to a CSV file, imported by <c>erpdb import orders FILE</c> (in-process: parse, check, upsert, post),
/// against <c>psql \copy</c> of the same file into the same table with the same indexes (the floor: no checks, no posting).
/// </summary>
internal sealed class ImportScenario : IScenario
{
    private const string Columns = "merchant_id,shop_id,order_no,order_date,ordered_at,gmv,status,item_count,platform_commission";

    public string Name => "import";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var rows = context.Orders;
        var file = Path.Combine(Path.GetTempPath(), $"erpdb-bench-orders-{Guid.NewGuid():N}.csv");
        try
        {
            await WriteAsync(file, rows, cancellationToken);

            await using var copyDb = await BenchDatabase.CreateAsync(context, "imp_copy");
            var target = WithPassword(context, copyDb);
            var copy = await Timing.TimeProcessAsync("psql",
                ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", target.Host!, "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username!, "-d", target.Database!,
                    "-c", $"\\copy dw.fact_sales_orders ({Columns}) FROM '{file}' WITH (FORMAT csv, HEADER true)"],
                new Dictionary<string, string> { ["PGPASSWORD"] = target.Password ?? "" }, cancellationToken);

            await using var importDb = await BenchDatabase.CreateAsync(context, "imp_cli");
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = 0;
            var import = await Timing.TimeAsync(async () => exit = await ErpDbCli.RunAsync(
                ["import", "orders", file, "--connection", WithPassword(context, importDb).ConnectionString, "--format", "json"], output, error, _ => null, cancellationToken));
            if (exit != 0)
            {
                throw new InvalidOperationException($"erpdb import exited {exit}: {error}{output}");
            }

            double RowsPerSecond(TimeSpan t) => rows / t.TotalSeconds;
            return
            [
                BenchResult.Compare("import.csv", RowsPerSecond(import), "rows/s", "psql \\copy of the same CSV into the indexed table", RowsPerSecond(copy), ">= 0.6"),
            ];
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The database's connection string with the admin login's password (a data source's own string leaves it out).</summary>
    private static NpgsqlConnectionStringBuilder WithPassword(BenchContext context, NpgsqlDataSource dataSource) =>
        new(context.AdminConnectionString) { Database = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database };

    /// <summary>The orders of <see cref="BenchOrders.Generate"/> as a merchant's CSV file.</summary>
    private static async Task WriteAsync(string file, int rows, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(file);
        await writer.WriteLineAsync(Columns);
        foreach (var o in BenchOrders.Generate(0, rows))
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{o.MerchantId},{o.ShopId},{o.OrderNo},{o.OrderDate:yyyy-MM-dd},{o.OrderedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{o.Gmv},{o.Status},{o.ItemCount},{o.PlatformCommission}")
                .AsMemory(), cancellationToken);
        }
    }
}

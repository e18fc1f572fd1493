using System.Globalization;
using Erp.Db.Cli;
using Erp.Db.Cli.Import;
using Erp.Db.Cli.Import.Entities;
using Erp.Db.Cli.Import.Sources;
using Npgsql;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// import.csv: N orders written to a CSV file, imported by <c>erpdb import orders FILE</c> (in-process: parse, check, upsert, post),
/// against <c>psql \copy</c> of the same file into the same table with the same indexes (the floor: no checks, no posting).
/// import.csv.read: the same file only read and parsed into rows (no database); import.csv.copy: the import's read + binary COPY into
/// its temp table, both against the same floor. import.csv.time.*: where the import's time went (its statements, timed by Npgsql's
/// tracing), each against the whole import.
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

            // Each side in a database of its own, with the server at rest, dropped after it (BenchDatabase.TimeStepAsync).
            var copy = TimeSpan.Zero;
            await BenchDatabase.TimeStepAsync(context, "imp_copy", null, async copyDb =>
            {
                var target = WithPassword(context, copyDb);
                copy = await Timing.TimeProcessAsync("psql",
                    ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", target.Host!, "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username!, "-d", target.Database!,
                        "-c", $"\\copy dw.fact_sales_orders ({Columns}) FROM '{file}' WITH (FORMAT csv, HEADER true)"],
                    new Dictionary<string, string> { ["PGPASSWORD"] = target.Password ?? "" }, cancellationToken);
            });

            var read = await Timing.TimeAsync(() => Task.FromResult(ReadOnly(file, cancellationToken)));

            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = 0;
            IReadOnlyList<StatementTimer.Statement> statements = [];
            var import = await BenchDatabase.TimeStepAsync(context, "imp_cli", null, async importDb =>
            {
                using var timer = new StatementTimer();
                exit = await ErpDbCli.RunAsync(
                    ["import", "orders", file, "--connection", WithPassword(context, importDb).ConnectionString, "--format", "json"], output, error, _ => null, cancellationToken);
                statements = timer.Statements;
            });
            if (exit != 0)
            {
                throw new InvalidOperationException($"erpdb import exited {exit}: {error}{output}");
            }

            double RowsPerSecond(TimeSpan t) => rows / t.TotalSeconds;
            const string Floor = "psql \\copy of the same CSV into the indexed table";
            List<BenchResult> results =
            [
                BenchResult.Compare("import.csv", RowsPerSecond(import), "rows/s", Floor, RowsPerSecond(copy), ">= 0.6"),
                BenchResult.Compare("import.csv.read", RowsPerSecond(read), "rows/s", Floor, RowsPerSecond(copy)),
            ];
            StatementTimer.Log(context.Log, "import.csv", statements);
            if (ImportSplit.Of(statements, import) is { } split)
            {
                results.Add(BenchResult.Compare("import.csv.copy", RowsPerSecond(split.ReadAndCopy), "rows/s", Floor, RowsPerSecond(copy)));
                foreach (var (step, time) in split.Steps.Where(s => s.Time > TimeSpan.Zero))
                {
                    results.Add(BenchResult.Compare($"import.csv.time.{step}", time.TotalMilliseconds, "ms", "the whole erpdb import", import.TotalMilliseconds));
                }
            }
            else
            {
                context.Log.WriteLine("import: the batch's statements were not recognised; no split of its time.");
            }
            return results;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>What <c>erpdb import orders FILE</c> does before the database: detect the encoding, read and parse every record.</summary>
    private static long ReadOnly(string file, CancellationToken cancellationToken)
    {
        using var source = new CsvSource(file, TextEncodings.Resolve(file, null), ",");
        var header = source.ReadHeader() ?? throw new InvalidOperationException($"{file} is empty.");
        return OrdersCsv.Entity.CountRows(new ImportRun(source, header, new ImportSettings(null, 100)), cancellationToken);
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

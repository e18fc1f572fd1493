using System.Text.Json;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// What an import says about itself: a list of problems cut at --max-errors says so, the help names the files read as
/// tab-separated as they are, and orders imported with --items report the fields a plain import does.
/// </summary>
public class ImportResultTests
{
    private const string OrdersHeader = "merchant_id,shop_id,order_no,order_date,ordered_at,gmv,status,currency_code,exchange_rate";
    private const string LinesHeader = "merchant_id,shop_id,order_no,order_date,line_no,sku,quantity,unit_price";

    [Fact]
    public async Task Problems_cut_at_max_errors_say_that_reading_stopped_there()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = await WriteAsync(".csv", OrdersHeader,
            "1,10,M-1,2026-03-05,2026-03-05T09:30:00+08:00,ten,paid,CNY,1",
            "1,10,M-2,2026-03-05,2026-03-05T09:30:00+08:00,eleven,paid,CNY,1",
            "1,10,M-3,2026-03-05,2026-03-05T09:30:00+08:00,twelve,paid,CNY,1");

        var all = await CliRun.RunAsync(Import("orders", path, db));
        var limited = await CliRun.RunAsync([.. Import("orders", path, db), "--max-errors", "2"]);
        var one = await CliRun.RunAsync([.. Import("orders", path, db), "--max-errors", "1"]);

        Assert.Equal((2, 2, 2), (all.ExitCode, limited.ExitCode, one.ExitCode));
        Assert.Equal(($"3 problems; nothing of {path} was imported.", false), LastLineAndStopped(all));
        Assert.Equal(($"The first 2 problems (reading stopped at --max-errors 2); nothing of {path} was imported.", true), LastLineAndStopped(limited));
        Assert.Equal(($"The first problem (reading stopped at --max-errors 1); nothing of {path} was imported.", true), LastLineAndStopped(one));
        Assert.Equal(2, limited.Json().GetProperty("error").GetProperty("details").GetProperty("problems").GetArrayLength());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'M-%'"));
    }

    /// <summary>Only .tsv and .tab are read as tab-separated; a .txt of tabs needs --delimiter tab, and the help says so.</summary>
    [Fact]
    public async Task The_help_names_the_files_read_as_tab_separated_as_import_reads_them()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = await WriteAsync(".txt", OrdersHeader.Replace(',', '\t'),
            "1\t10\tT-1\t2026-03-05\t2026-03-05T09:30:00+08:00\t10\tpaid\tCNY\t1");

        var help = await CliRun.RunAsync("import", "--help");
        var asComma = await CliRun.RunAsync(Import("orders", path, db));
        var named = await CliRun.RunAsync([.. Import("orders", path, db), "--delimiter", "tab"]);

        Assert.Contains(".tsv or .tab (tab-separated)", help.Output, StringComparison.Ordinal);
        Assert.Contains("Any other text file (.txt) is read as comma-separated: name its separator with --delimiter.", help.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(".txt with tabs", help.Output, StringComparison.Ordinal);
        Assert.Equal(2, asComma.ExitCode);
        Assert.Contains("--delimiter tab", asComma.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(named.ExitCode == 0, named.Output + named.Error);
    }

    [Fact]
    public async Task Orders_with_their_lines_report_the_fields_of_a_plain_import()
    {
        await using var db = await IngestSample.CreateAsync();
        var orders = await WriteAsync(".csv", OrdersHeader,
            "1,10,R-1,2026-03-05,2026-03-05T09:30:00+08:00,100,completed,CNY,1",
            "1,10,R-2,2026-03-05,2026-03-05T10:30:00+08:00,40,paid,CNY,1");
        var lines = await WriteAsync(".tsv", LinesHeader.Replace(',', '\t'),
            "1\t10\tR-1\t2026-03-05\t1\tA-1\t2\t30",
            "1\t10\tR-1\t2026-03-05\t2\tA-1\t1\t40",
            "1\t10\tR-2\t2026-03-05\t1\tA-1\t4\t10");
        var plainFile = await WriteAsync(".csv", OrdersHeader, "1,10,R-3,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1");

        var plain = (await CliRun.RunAsync(Import("orders", plainFile, db))).Json().GetProperty("data");
        var run = await CliRun.RunAsync([.. Import("orders", orders, db), "--items", lines]);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var data = run.Json().GetProperty("data");
        // A plain import's counts of one table are here per file, in orders and orderItems.
        string[] perTable = ["table", "inserted", "updated", "unchanged", "total", "deleted"];
        Assert.Subset(data.EnumerateObject().Select(p => p.Name).ToHashSet(), plain.EnumerateObject().Select(p => p.Name).Except(perTable).ToHashSet());
        Assert.Equal("csv, utf-8", data.GetProperty("format").GetString());
        Assert.Equal("tsv, utf-8", data.GetProperty("itemsFormat").GetString());
        Assert.Equal(5, data.GetProperty("rows").GetInt64());
        Assert.Equal((2L, 3L), (data.GetProperty("orders").GetProperty("inserted").GetInt64(), data.GetProperty("orderItems").GetProperty("inserted").GetInt64()));
        var elapsed = data.GetProperty("elapsedMs").GetDouble();
        Assert.Equal(Math.Round(elapsed, 1), elapsed);
        Assert.True(data.GetProperty("rowsPerSecond").GetDouble() > 0, data.ToString());
    }

    /// <summary>
    /// The reports read views the due refresh brings up to date, not the tables an import writes: an import that wrote something
    /// says so, and the command it names leaves no view of the orders behind; one that changed nothing, or a dry run, says nothing.
    /// </summary>
    [Fact]
    public async Task An_import_that_wrote_says_the_reports_count_it_after_the_next_due_refresh()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = await WriteAsync(".csv", OrdersHeader, "1,10,H-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1");

        var dry = await CliRun.RunAsync([.. Import("orders", path, db), "--dry-run"]);
        var wrote = await CliRun.RunAsync(Import("orders", path, db));
        var again = await CliRun.RunAsync(Import("orders", path, db));
        var second = await WriteAsync(".csv", OrdersHeader, "1,10,H-2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1");
        var table = await CliRun.RunAsync("import", "orders", second, "--connection", db.ConnectionString, "--format", "table");
        var dirty = await db.ScalarAsync<string[]>("SELECT coalesce(array_agg(view_name ORDER BY view_name), '{}') FROM ops.view_status() WHERE is_dirty");
        var refresh = await CliRun.RunAsync("refresh", "--due", "--connection", db.ConnectionString, "--format", "json");

        Assert.True(wrote.ExitCode == 0, wrote.Output + wrote.Error);
        var hint = wrote.Json().GetProperty("data").GetProperty("reports").GetString()!;
        Assert.EndsWith("To refresh at once: erpdb refresh --due", hint, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, dry.Json().GetProperty("data").GetProperty("reports").ValueKind);
        Assert.Equal(JsonValueKind.Null, again.Json().GetProperty("data").GetProperty("reports").ValueKind);
        Assert.Contains(hint, table.Output.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains("mart.mv_daily_sales", dirty!);
        Assert.Equal(0, refresh.ExitCode);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.view_status() WHERE is_dirty"));
    }

    private static (string LastLine, bool Stopped) LastLineAndStopped(CliRun run)
    {
        var error = run.Json().GetProperty("error");
        return (error.GetProperty("message").GetString()!.Split('\n')[^1], error.GetProperty("details").GetProperty("stoppedAtMaxErrors").GetBoolean());
    }

    private static string[] Import(string entity, string path, TestDatabase db) =>
        ["import", entity, path, "--connection", db.ConnectionString, "--format", "json"];

    private static async Task<string> WriteAsync(string extension, params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"erpdb-import-{Guid.NewGuid():N}{extension}");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}

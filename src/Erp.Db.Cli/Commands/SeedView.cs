using System.Globalization;
using Erp.Db.Cli.Output;
using Erp.Db.Refresh;
using Erp.Db.Seeding;

namespace Erp.Db.Cli.Commands;

/// <summary>How seed shows its report: rows and speed per table, totals in the caption.</summary>
internal static class SeedView
{
    public static CommandResult Result(SeedReport report)
    {
        var data = new
        {
            database = report.Database,
            startDate = report.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            endDate = report.EndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            seed = report.RandomSeed,
            replaced = report.Replaced,
            totalRows = report.TotalRows,
            loadSeconds = Math.Round(report.LoadElapsed.TotalSeconds, 2),
            analyzeSeconds = Math.Round(report.AnalyzeElapsed.TotalSeconds, 2),
            refreshSeconds = Math.Round(report.RefreshElapsed.TotalSeconds, 2),
            viewsRefreshed = report.Refreshed.Count(r => r.Status == RefreshStatus.Succeeded),
            viewsFailed = report.Refreshed.Count(r => r.Status == RefreshStatus.Failed),
            elapsedSeconds = Math.Round(report.Elapsed.TotalSeconds, 2),
            rowsPerSecond = Math.Round(report.RowsPerSecond),
            tables = report.Tables.Select(t => new
            {
                table = t.Table,
                rows = t.Rows,
                seconds = Math.Round(t.Elapsed.TotalSeconds, 2),
                rowsPerSecond = Math.Round(t.RowsPerSecond),
            }),
        };
        var rows = report.Tables
            .Select(t => (IReadOnlyList<string>)[t.Table, t.Rows.ToString("N0", CultureInfo.InvariantCulture),
                t.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture), t.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture)])
            .Append(["total", report.TotalRows.ToString("N0", CultureInfo.InvariantCulture),
                report.LoadElapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture), report.RowsPerSecond.ToString("N0", CultureInfo.InvariantCulture)])
            .ToList();
        var caption = $"Seeded {report.TotalRows:N0} rows ({report.StartDate:yyyy-MM-dd}..{report.EndDate:yyyy-MM-dd}, seed {report.RandomSeed}) "
            + $"into {report.Database} in {report.LoadElapsed.TotalSeconds:0.0} s ({report.RowsPerSecond:N0} rows/s), "
            + $"then ANALYZE in {report.AnalyzeElapsed.TotalSeconds:0.0} s and the views' refresh in {report.RefreshElapsed.TotalSeconds:0.0} s.";
        return new CommandResult(data, new TableView(["Table", "Rows", "Seconds", "Rows/s"], rows, caption));
    }
}

using System.CommandLine;
using Erp.Db.Queries;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>--days, --start and --end: the period a BI command covers.</summary>
internal sealed class PeriodOptions
{
    private readonly Option<int> days;
    private readonly Option<DateOnly?> start = new("--start", "--from") { Description = "First day (yyyy-MM-dd); overrides --days. A period that starts after today in every time zone is an error." };
    private readonly Option<DateOnly?> end = new("--end", "--to") { Description = "Last day (yyyy-MM-dd), included. Default: today (the database's date: docs/today.md), whose orders are still coming in (meta.period.lastBucketComplete is false): end at yesterday to count complete days only, e.g. when comparing with the period before." };

    public PeriodOptions(Command command, int defaultDays)
    {
        days = new Option<int>("--days") { Description = "The last N days up to --end, both included (1-3660).", DefaultValueFactory = _ => defaultDays };
        command.Options.Add(days);
        command.Options.Add(start);
        command.Options.Add(end);
    }

    /// <summary>The period asked for; without --end it ends on the warehouse's today, asked of <paramref name="erp"/>.</summary>
    public async Task<Period> ResolveAsync(ParseResult parseResult, ErpDatabase erp, CancellationToken cancellationToken)
    {
        var last = parseResult.GetValue(end) ?? await erp.TodayAsync(cancellationToken);
        var first = parseResult.GetValue(start);
        var period = first is { } day ? new Period(day, last) : Period.LastDays(parseResult.GetValue(days), last);
        // One rule for every period command: a period that has not begun is refused, naming the option its start came from.
        period.ThrowIfNotBegun(first is null ? "--end" : "--start");
        return period;
    }
}

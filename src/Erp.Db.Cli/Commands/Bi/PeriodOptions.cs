using System.CommandLine;
using Erp.Db.Cli.Output;
using Erp.Db.Queries;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>--days, --start and --end: the period a BI command covers.</summary>
internal sealed class PeriodOptions
{
    private readonly Option<int> days;
    private readonly Option<DateOnly?> start = new("--start", "--from") { Description = "First day (yyyy-MM-dd), up to --end; not with --days. A period that starts after today in every time zone is an error." };
    private readonly Option<DateOnly?> end = new("--end", "--to") { Description = "Last day (yyyy-MM-dd), included. Default: today (the database's date: docs/today.md), whose orders are still coming in (meta.period.lastBucketComplete is false): end at yesterday to count complete days only, e.g. when comparing with the period before." };

    public PeriodOptions(Command command, int defaultDays)
    {
        days = new Option<int>("--days") { Description = "The last N days up to --end, both included (1-3660); not with --start.", DefaultValueFactory = _ => defaultDays };
        command.Options.Add(days);
        command.Options.Add(start);
        command.Options.Add(end);
    }

    /// <summary>The period asked for; without --end it ends on the warehouse's today, asked of <paramref name="erp"/>.</summary>
    public async Task<Period> ResolveAsync(ParseResult parseResult, ErpDatabase erp, CancellationToken cancellationToken)
    {
        var first = parseResult.GetValue(start);
        if (first is { } from && parseResult.GetResult(days) is { Implicit: false } given)
        {
            // Both ends and a length: taking one over the other silently answers a period that was not asked for.
            var daysTyped = given.IdentifierToken?.Value ?? "--days";
            var startTyped = parseResult.GetResult(start)?.IdentifierToken?.Value ?? "--start";
            var count = parseResult.GetValue(days);
            var suggestion = count is >= 1 and <= 3660 && from <= DateOnly.MaxValue.AddDays(1 - count)
                ? $" ({daysTyped} {count} from {startTyped} {from:yyyy-MM-dd} is {startTyped} {from:yyyy-MM-dd} --end {from.AddDays(count - 1):yyyy-MM-dd})"
                : "";
            throw CliException.Validation(
                $"{daysTyped} and {startTyped} together: give the period as {startTyped} with --end (default today), or as {daysTyped} up to --end, not both{suggestion}.",
                new { field = daysTyped });
        }
        var last = parseResult.GetValue(end) ?? await erp.TodayAsync(cancellationToken);
        var period = first is { } day ? new Period(day, last) : Period.LastDays(parseResult.GetValue(days), last);
        // One rule for every period command: a period that has not begun is refused, naming the option its start came from.
        period.ThrowIfNotBegun(first is null ? "--end" : "--start");
        return period;
    }
}

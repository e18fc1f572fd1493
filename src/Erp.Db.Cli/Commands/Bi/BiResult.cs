using Erp.Db.Cli.Output;
using Erp.Db.Queries;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>
/// Builds a BI command's result: the data, its tables, and in meta the freshness of the views, the day
/// the answer is as of (asOf, the warehouse's today: the database's date, <see cref="QueryResult{T}.AsOf"/>; docs/today.md)
/// and, for a result over a period, the period (<see cref="PeriodMeta"/>).
/// </summary>
internal static class BiResult
{
    public static CommandResult From<T>(QueryResult<T> result, TableView table, params TableView[] extra) where T : notnull =>
        From(result, period: null, table, extra);

    public static CommandResult From<T>(QueryResult<T> result, PeriodMeta? period, TableView table, params TableView[] extra) where T : notnull
    {
        var meta = new Dictionary<string, object?> { ["asOf"] = result.AsOf };
        if (period is not null)
        {
            meta["period"] = period;
        }
        meta["freshness"] = result.Freshness;
        return new(result.Data, table with { Caption = string.Join(" ", new[] { table.Caption, Cells.Freshness(result.Freshness) }.Where(c => !string.IsNullOrEmpty(c))) },
            Meta: meta, Extra: extra);
    }

    public static IReadOnlyList<string> Row(params string?[] cells) => [.. cells.Select(c => c ?? "")];
}

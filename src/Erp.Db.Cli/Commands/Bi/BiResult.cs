using Erp.Db.Cli.Output;
using Erp.Db.Queries;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>Builds a BI command's result: the data, its tables, and the freshness of the views in meta.</summary>
internal static class BiResult
{
    public static CommandResult From<T>(QueryResult<T> result, TableView table, params TableView[] extra) where T : notnull =>
        new(result.Data, table with { Caption = string.Join(" ", new[] { table.Caption, Cells.Freshness(result.Freshness) }.Where(c => !string.IsNullOrEmpty(c))) },
            Meta: new Dictionary<string, object?> { ["freshness"] = result.Freshness }, Extra: extra);

    public static IReadOnlyList<string> Row(params string?[] cells) => [.. cells.Select(c => c ?? "")];
}

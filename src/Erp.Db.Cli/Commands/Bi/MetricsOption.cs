using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Erp.Db.Cli.Output;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>
/// --metrics a,b,c: which figures a BI command returns, in JSON and in tables. Fields that belong to no
/// metric (dates, keys, names, period) are always returned; an unknown name is a usage error listing the valid ones.
/// </summary>
internal sealed class MetricsOption
{
    private readonly Option<string?> option;
    private readonly IReadOnlyList<Metric> metrics;

    public MetricsOption(Command command, params Metric[] metrics)
    {
        this.metrics = metrics;
        option = new Option<string?>("--metrics")
        {
            Description = "Only these figures, comma-separated (default: all): "
                + string.Join("; ", metrics.Select(m => $"{m.Name} ({m.Description})")) + ".",
            HelpName = string.Join(",", metrics.Select(m => m.Name)),
        };
        command.Options.Add(option);
    }

    /// <summary>The metrics asked for; null when --metrics was not given (all of them).</summary>
    /// <exception cref="CliException">An unknown or empty name.</exception>
    public IReadOnlyList<Metric>? Resolve(ParseResult parseResult)
    {
        if (parseResult.GetValue(option) is not { } text)
        {
            return null;
        }
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = names.Where(n => Find(n) is null).ToList();
        if (names.Length == 0 || unknown.Count > 0)
        {
            var valid = metrics.Select(m => m.Name).ToList();
            throw CliException.Validation(
                $"{(names.Length == 0 ? "--metrics names no metric" : $"--metrics: unknown metric{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}")}. Valid metrics: {string.Join(", ", valid)} (one or more, comma-separated).",
                new { field = "--metrics", unknown, valid });
        }
        return [.. metrics.Where(m => names.Any(n => Find(n) == m))];
    }

    /// <summary>True when <paramref name="name"/> is returned: no --metrics, or among those chosen.</summary>
    public static bool Has(IReadOnlyList<Metric>? chosen, string name) => chosen is null || chosen.Any(m => m.Name == name);

    /// <summary>The result with only the chosen metrics' fields and columns (and the others' gone); meta.metrics names them.</summary>
    public CommandResult Apply(CommandResult result, IReadOnlyList<Metric>? chosen)
    {
        if (chosen is null)
        {
            return result;
        }
        var dropped = metrics.Except(chosen).ToList();
        var fields = dropped.SelectMany(m => m.Fields).ToHashSet(StringComparer.Ordinal);
        var columns = dropped.SelectMany(m => m.Columns).ToHashSet(StringComparer.Ordinal);
        var data = JsonSerializer.SerializeToNode(result.Data, CommandOutput.Json);
        Drop(data, fields);
        var meta = new Dictionary<string, object?>(result.Meta ?? new Dictionary<string, object?>()) { ["metrics"] = chosen.Select(m => m.Name).ToList() };
        return result with
        {
            Data = data ?? new JsonObject(),
            Table = Keep(result.Table, columns, fields),
            Extra = result.Extra?.Select(t => Keep(t, columns, fields)).ToList(),
            Meta = meta,
        };
    }

    private Metric? Find(string name) => metrics.FirstOrDefault(m => Normal(m.Name) == Normal(name));

    private static string Normal(string name) => name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    private static void Drop(JsonNode? node, HashSet<string> fields)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).Where(fields.Contains).ToList())
                {
                    o.Remove(name);
                }
                foreach (var (_, value) in o)
                {
                    Drop(value, fields);
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Drop(item, fields);
                }
                break;
        }
    }

    /// <summary>The table without the dropped metrics' columns, and its records (what CSV writes) without their fields.</summary>
    private static TableView Keep(TableView table, HashSet<string> columns, HashSet<string> fields)
    {
        var keep = Enumerable.Range(0, table.Headers.Count).Where(c => !columns.Contains(table.Headers[c])).ToArray();
        return table with
        {
            Headers = [.. keep.Select(c => table.Headers[c])],
            Rows = [.. table.Rows.Select(r => (IReadOnlyList<string>)[.. keep.Select(c => r[c])])],
            Records = table.Records?.Select(r =>
            {
                var record = JsonSerializer.SerializeToNode(r, r.GetType(), CommandOutput.Json);
                Drop(record, fields);
                return (object)(record ?? new JsonObject());
            }).ToList(),
        };
    }
}

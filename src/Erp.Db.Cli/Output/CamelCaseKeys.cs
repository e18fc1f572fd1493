using System.Text.Json;

namespace Erp.Db.Cli.Output;

/// <summary>
/// The names of keys that come from data rather than from a .NET property, in camelCase as every field of erpdb's JSON is:
/// a dictionary's keys (customers' segments: one_time is oneTime) and the properties of a JSON object passed through from the
/// database (an alert's details: days_overdue is daysOverdue). Names without an underscore only get a lower-case first letter.
/// </summary>
internal sealed class CamelCaseKeys : JsonNamingPolicy
{
    public static CamelCaseKeys Instance { get; } = new();

    public override string ConvertName(string name)
    {
        var words = name.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= 1
            ? CamelCase.ConvertName(words.Length == 0 ? name : words[0])
            : string.Concat(words.Select((w, i) => i == 0 ? CamelCase.ConvertName(w) : char.ToUpperInvariant(w[0]) + w[1..]));
    }
}

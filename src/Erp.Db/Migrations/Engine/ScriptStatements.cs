using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Erp.Db.Migrations.Engine;

/// <summary>A script's statements as migrate runs them: variables replaced, then split the way psql does.</summary>
internal static class ScriptStatements
{
    /// <summary>The script's text with the declared <c>$name$</c> variables replaced.</summary>
    public static string Preprocess(string contents, IReadOnlyDictionary<string, string> variables) =>
        variables.Aggregate(contents, (text, v) => text.Replace($"${v.Key}$", v.Value, StringComparison.Ordinal));

    /// <summary>The declared variables whose <c>$name$</c> token the script holds, with their values, by name.</summary>
    public static IReadOnlyDictionary<string, string> Used(string contents, IReadOnlyDictionary<string, string> variables) =>
        new SortedDictionary<string, string>(
            variables.Where(v => contents.Contains($"${v.Key}$", StringComparison.Ordinal)).ToDictionary(v => v.Key, v => v.Value),
            StringComparer.Ordinal);

    /// <summary>
    /// The values of the variables the script uses, as the journal records them (a JSON object, <c>ops.schema_journal.variables</c>);
    /// null when it uses none.
    /// </summary>
    public static string? UsedJson(string contents, IReadOnlyDictionary<string, string> variables) =>
        Used(contents, variables) is { Count: > 0 } used ? JsonSerializer.Serialize(used) : null;

    public static IReadOnlyList<SqlStatement> Split(MigrationScript script, IReadOnlyDictionary<string, string> variables) =>
        SqlStatementSplitter.Split(Preprocess(script.Contents, variables));

    /// <summary>
    /// SHA-256 of the first <paramref name="count"/> statements: what a partly applied no-transaction
    /// script journals, so a resume knows those statements are still the ones that ran. Null when
    /// the script has fewer statements.
    /// </summary>
    public static string? PrefixSha256(MigrationScript script, IReadOnlyDictionary<string, string> variables, int count)
    {
        var statements = Split(script, variables);
        if (count > statements.Count)
        {
            return null;
        }
        var prefix = string.Join("\n;\n", statements.Take(count).Select(s => s.Text));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prefix)));
    }
}

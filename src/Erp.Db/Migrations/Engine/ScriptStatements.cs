using System.Security.Cryptography;
using System.Text;

namespace Erp.Db.Migrations.Engine;

/// <summary>A script's statements as migrate runs them: variables replaced, then split the way psql does.</summary>
internal static class ScriptStatements
{
    /// <summary>The script's text with the declared <c>$name$</c> variables replaced.</summary>
    public static string Preprocess(string contents, IReadOnlyDictionary<string, string> variables) =>
        variables.Aggregate(contents, (text, v) => text.Replace($"${v.Key}$", v.Value, StringComparison.Ordinal));

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

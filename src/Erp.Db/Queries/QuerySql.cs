using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Erp.Db.Queries;

/// <summary>
/// The query SQL, read from the embedded files <c>sql/queries/*.sql</c> (one per query, runnable in
/// psql; docs/queries.md). The files name their parameters as psql variables (<c>:start</c>); here
/// they become Npgsql parameters (<c>@start</c>). A fragment (<c>:sort</c>) is not a value but an
/// ORDER BY expression: it is substituted as text, and only ever from a closed list in code.
/// </summary>
internal static partial class QuerySql
{
    private static readonly ConcurrentDictionary<string, string> Files = new(StringComparer.Ordinal);

    /// <summary>The statements of the named files (without <c>.sql</c>), in order, as one batch with Npgsql parameters.</summary>
    public static string Batch(params string[] names) => string.Join(";\n", names.Select(n => Text(n)));

    /// <summary>One file's statements with <paramref name="fragments"/> substituted and psql variables turned into Npgsql parameters.</summary>
    /// <param name="name">The file name without <c>.sql</c>, e.g. <c>sales_totals</c>.</param>
    /// <param name="fragments">Fragments by name (e.g. <c>sort</c>) and their text, from closed lists only.</param>
    public static string Text(string name, params (string Name, string Text)[] fragments)
    {
        var sql = Raw(name);
        foreach (var (fragment, text) in fragments)
        {
            sql = Regex.Replace(sql, $@"(?<![:\w]):{fragment}\b", text.Replace("$", "$$", StringComparison.Ordinal), RegexOptions.CultureInvariant);
        }
        return Variable().Replace(sql, "@$1").TrimEnd().TrimEnd(';');
    }

    /// <summary>
    /// The materialized views the named files read, for freshness: each reader view <c>mart.x</c> in their SQL
    /// (comments excluded; a function <c>mart.f(...)</c> is none) is the reader view of <c>mart.mv_x</c>.
    /// </summary>
    public static string[] Views(params string[] names) =>
        [.. names.SelectMany(n => ReaderView().Matches(Comment().Replace(Raw(n), "")).Select(m => "mart.mv_" + m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>
    /// The metric definitions a query file states in its header: the comment lines after
    /// <c>-- Definitions (...):</c> up to <c>-- reads:</c>, without the comment marks. One text for the SQL and for <c>--help</c>.
    /// </summary>
    public static string Definitions(string name)
    {
        var lines = Raw(name).Split('\n').Select(l => l.TrimEnd('\r'))
            .SkipWhile(l => !l.StartsWith("-- Definitions", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.StartsWith("--", StringComparison.Ordinal) && !l.StartsWith("-- reads:", StringComparison.Ordinal))
            .Select(l => l.Length > 3 ? l[3..] : "");
        return string.Join("\n", lines);
    }

    private static string Raw(string name) => Files.GetOrAdd(name, static n =>
    {
        var resource = $"sql/queries/{n}.sql";
        using var stream = typeof(QuerySql).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The query file {resource} is not embedded in Erp.Db.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>A psql variable <c>:name</c>; not the second colon of a cast (<c>::date</c>).</summary>
    [GeneratedRegex(@"(?<![:\w]):([A-Za-z_]\w*)", RegexOptions.CultureInvariant)]
    private static partial Regex Variable();

    /// <summary>A reader view: <c>mart.</c> and a name that does not start with <c>mv_</c>, not called (<c>mart.period_buckets(</c> is a function).</summary>
    [GeneratedRegex(@"\bmart\.(?!mv_)([a-z_]\w*)\b(?!\s*\()", RegexOptions.CultureInvariant)]
    private static partial Regex ReaderView();

    [GeneratedRegex(@"--[^\n]*", RegexOptions.CultureInvariant)]
    private static partial Regex Comment();
}

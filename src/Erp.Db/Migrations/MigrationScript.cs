using System.Security.Cryptography;
using System.Text;

namespace Erp.Db.Migrations;

/// <summary>One SQL script of the warehouse: its name, group, text and checksum.</summary>
/// <remarks>
/// Directives are lines among the script's leading comments: <c>-- erpdb:no-transaction</c> opts
/// out of the per-script transaction (needed for <c>CREATE INDEX CONCURRENTLY</c>);
/// <c>-- erpdb:run-as-login</c> runs the script, still in a transaction, as the connecting login
/// instead of <c>erp_owner</c> (for <c>CREATE EXTENSION</c>, <c>ALTER ... OWNER TO</c>, pg_dump output).
/// </remarks>
public sealed record MigrationScript
{
    private const string NoTransactionDirective = "-- erpdb:no-transaction";
    private const string RunAsLoginDirective = "-- erpdb:run-as-login";
    private const string RewordedFromDirective = "-- erpdb:reworded-from ";

    /// <summary>Creates a script; line endings are normalized to LF so the checksum is the same on every OS.</summary>
    /// <param name="name">Path relative to <c>sql/</c>, e.g. <c>migrations/0001_schemas.sql</c>.</param>
    /// <param name="kind">The group the script belongs to.</param>
    /// <param name="contents">The SQL text.</param>
    public MigrationScript(string name, ScriptKind kind, string contents)
    {
        Name = name;
        Kind = kind;
        Contents = contents.Replace("\r\n", "\n", StringComparison.Ordinal);
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Contents)));
        RunsInTransaction = !HasDirective(Contents, NoTransactionDirective);
        RunsAsLogin = HasDirective(Contents, RunAsLoginDirective);
        Rewordings = [.. LeadingComments(Contents)
            .Select(l => l.Trim())
            .Where(l => l.StartsWith(RewordedFromDirective, StringComparison.Ordinal))
            .Select(l => l[RewordedFromDirective.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length == 2)
            .Select(p => new Rewording(p[0], p[1]))];
    }

    /// <summary>Path relative to <c>sql/</c>, e.g. <c>migrations/0001_schemas.sql</c>; the journal key.</summary>
    public string Name { get; }

    /// <summary>The group: migration (run once), function or view (repeatable).</summary>
    public ScriptKind Kind { get; }

    /// <summary>The SQL text, with LF line endings.</summary>
    public string Contents { get; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Contents"/>.</summary>
    public string Sha256 { get; }

    /// <summary>False when the script carries <c>-- erpdb:no-transaction</c>.</summary>
    public bool RunsInTransaction { get; }

    /// <summary>
    /// True when the script carries <c>-- erpdb:run-as-login</c>: it runs as the connecting login,
    /// not as <c>erp_owner</c>, so what it creates belongs to the login unless it says otherwise.
    /// </summary>
    public bool RunsAsLogin { get; }

    /// <summary>
    /// Earlier texts of this migration that differ from this one in wording only, from its
    /// <c>-- erpdb:reworded-from SHA256 CODE-SHA256</c> lines: a database that applied one of them is up to date.
    /// </summary>
    internal IReadOnlyList<Rewording> Rewordings { get; }

    /// <summary>True for functions and views, which run again when their text changes.</summary>
    public bool IsRepeatable => Kind != ScriptKind.Migration;

    /// <summary>True when <paramref name="contents"/> carries <c>-- erpdb:run-as-login</c> among its leading comments.</summary>
    internal static bool RunsAsLoginText(string contents) => HasDirective(contents, RunAsLoginDirective);

    private static bool HasDirective(string contents, string directive) =>
        LeadingComments(contents).Any(l => l.Trim() == directive);

    private static IEnumerable<string> LeadingComments(string contents) =>
        contents.Split('\n').TakeWhile(l => l.TrimStart().StartsWith("--", StringComparison.Ordinal) || l.Trim().Length == 0);
}

/// <summary>An earlier text of a migration: its checksum, and the checksum of its code (<see cref="Engine.ScriptCode"/>).</summary>
internal sealed record Rewording(string Sha256, string CodeSha256);

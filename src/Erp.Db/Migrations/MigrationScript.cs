using System.Security.Cryptography;
using System.Text;

namespace Erp.Db.Migrations;

/// <summary>One SQL script of the warehouse: its name, group, text and checksum.</summary>
/// <remarks>
/// A script opts out of the per-script transaction with a line <c>-- erpdb:no-transaction</c>
/// among its leading comments (needed for <c>CREATE INDEX CONCURRENTLY</c>).
/// </remarks>
public sealed record MigrationScript
{
    private const string NoTransactionDirective = "-- erpdb:no-transaction";

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
        RunsInTransaction = !LeadingComments(Contents).Any(l => l.Trim() == NoTransactionDirective);
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

    /// <summary>True for functions and views, which run again when their text changes.</summary>
    public bool IsRepeatable => Kind != ScriptKind.Migration;

    private static IEnumerable<string> LeadingComments(string contents) =>
        contents.Split('\n').TakeWhile(l => l.TrimStart().StartsWith("--", StringComparison.Ordinal) || l.Trim().Length == 0);
}

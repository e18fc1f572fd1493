namespace Erp.Db.Migrations.Engine;

/// <summary>The newest journal row of one script (read by Dapper from <see cref="JournalSql.Latest"/>).</summary>
internal sealed record JournalEntry
{
    /// <summary>The script.</summary>
    public string Name { get; init; } = "";

    /// <summary>Checksum applied: of the whole text or, when <see cref="StatementsApplied"/> is set, of those statements.</summary>
    public string Sha256 { get; init; } = "";

    public DateTime AppliedAt { get; init; }

    public decimal DurationMs { get; init; }

    /// <summary>The erpdb that applied it; null for rows written before erpdb journaled its version.</summary>
    public string? ErpdbVersion { get; init; }

    /// <summary>Set when a no-transaction script failed part way: how many of its statements stay applied.</summary>
    public int? StatementsApplied { get; init; }

    /// <summary>
    /// The variables the script used and their values when applied (JSON object text); null when it used none, or for rows
    /// written before erpdb recorded them.
    /// </summary>
    public string? Variables { get; init; }

    /// <summary>For a function script: MD5 of its functions' definitions after the run that applied it; null when not recorded.</summary>
    public string? DefinitionMd5 { get; init; }

    /// <summary>Every checksum the script was ever completely applied with.</summary>
    public string[] AppliedHashes { get; init; } = [];
}

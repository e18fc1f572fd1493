namespace Erp.Db.Migrations.Engine;

/// <summary>The newest journal row of one script.</summary>
internal sealed record JournalEntry(string Name, string Sha256, DateTime AppliedAt, decimal DurationMs);

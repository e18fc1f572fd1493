namespace Erp.Db.Migrations;

/// <summary>A session that holds migrate's advisory lock (docs/migrations.md, "One run at a time").</summary>
/// <param name="ProcessId">The server process (pg_stat_activity.pid) to end with <c>pg_terminate_backend</c>; null for a prepared transaction (<c>pg_prepared_xacts</c>).</param>
/// <param name="Login">Its login, when known.</param>
/// <param name="State">Its state (idle, active, ...), when this login may see it.</param>
public sealed record MigrationLockHolder(int? ProcessId, string? Login, string? State)
{
    /// <summary>"process 123 (login, state)", or "a prepared transaction".</summary>
    public override string ToString() => ProcessId is int pid
        ? $"process {pid} ({Login ?? "?"}, {State ?? "?"})"
        : "a prepared transaction (see pg_prepared_xacts)";
}

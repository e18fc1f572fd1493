using System.Text;

namespace Erp.Db.LocalServer;

/// <summary>A running local server. <see cref="object.ToString"/> hides the password.</summary>
/// <param name="ConnectionString">Connection string to the erpdb database, password included: never print it.</param>
/// <param name="Port">The TCP port on 127.0.0.1.</param>
/// <param name="DataDirectory">The cluster's data folder.</param>
/// <param name="Version">The server binaries' version, e.g. "15.18".</param>
/// <param name="PgCron">True when pg_cron is preloaded.</param>
/// <param name="StartedNow">True when this call started it; false when it was already running.</param>
public sealed record LocalServerInfo(string ConnectionString, int Port, string DataDirectory, string Version, bool PgCron, bool StartedNow)
{
    /// <summary>
    /// How pg_cron runs the server's jobs and whether the jobs of every login can connect. Read by
    /// <see cref="LocalPostgresServer.StatusAsync"/>; null from <see cref="LocalPostgresServer.EnsureStartedAsync"/>, which every
    /// command without a connection calls and which so spares the extra connection it takes.
    /// </summary>
    public LocalServerCron? Cron { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"ConnectionString = {ConnectionStringRedaction.Redact(ConnectionString)}, Port = {Port}, DataDirectory = {DataDirectory}, ");
        builder.Append($"Version = {Version}, PgCron = {PgCron}, StartedNow = {StartedNow}, Cron = {Cron}");
        return true;
    }
}

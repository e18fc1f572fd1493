using System.Text;
using Erp.Db.Migrations;

namespace Erp.Db;

/// <summary>
/// Settings of an <see cref="ErpDatabase"/>, bound from configuration section <c>ErpDb</c> by <c>AddErpDb</c>.
/// <see cref="object.ToString"/> hides passwords.
/// </summary>
public sealed record ErpDbOptions
{
    /// <summary>The configuration section <c>AddErpDb(IConfiguration)</c> reads.</summary>
    public const string SectionName = "ErpDb";

    /// <summary>
    /// The app's login on the primary: ingest, refresh and (without a replica) queries go here, and
    /// migrations too unless <see cref="MigrationConnectionString"/> is set. Required. Give it a login
    /// that is a member of <c>erp_reader</c> or <c>erp_writer</c>, not <c>erp_owner</c> (the owner
    /// bypasses merchant isolation and may change the schema): see docs/library.md.
    /// </summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>An optional read replica for queries; the primary when unset.</summary>
    public string? ReadConnectionString { get; init; }

    /// <summary>
    /// An optional login for migrations only (a member of <c>erp_owner</c>); when unset, migrations use
    /// <see cref="ConnectionString"/>. Set it so the app's own login needs no owner rights.
    /// </summary>
    public string? MigrationConnectionString { get; init; }

    /// <summary>The largest page a query may ask for; larger requests are refused. Default 500.</summary>
    public int MaxPageSize { get; init; } = 500;

    /// <summary>
    /// Longest a query (and each statement of an ingest that is not a bulk upsert) may run before it is
    /// cancelled. Default 30 seconds. It is the <c>Command Timeout</c> of the data sources
    /// <see cref="ErpDatabase.Create(ErpDbOptions, Microsoft.Extensions.Logging.ILoggerFactory?)"/> builds and the
    /// <c>statement_timeout</c> of every query; refresh, bulk upserts and migrations have their own limits.
    /// <see cref="TimeSpan.Zero"/> (or <see cref="Timeout.InfiniteTimeSpan"/>) means no limit; another negative time is refused.
    /// </summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The size of the result cache of <see cref="ErpDatabase.Queries"/>, in rows (each held result counts 1 + its
    /// rows; the least recently used go first). Default 50,000; 0 turns the cache off; a negative size is refused. Each <see cref="ErpDatabase"/>
    /// has its own. Only the queries over refreshed views are cached (sales except by category, products,
    /// inventory, trends, funnel, users; not customers, whose active customers are counted from the orders), keyed by the merchant, the query and the refresh epochs of the views it
    /// reads: a refresh is a miss, and every call still asks the database for the merchant scope and the freshness
    /// (one short statement), so isolation stays enforced there. See docs/result-cache.md.
    /// </summary>
    public int ResultCacheRows { get; init; } = 50_000;

    /// <summary>How <see cref="ErpDatabase.Migrations"/> runs: variables, timeout, schedules, script folder. Bound from <c>ErpDb:Migration</c>.</summary>
    public MigrationOptions Migration { get; init; } = new();

    /// <summary><see cref="QueryTimeout"/> in whole seconds, rounded up (0 = none), for Npgsql's command timeout.</summary>
    internal int CommandTimeoutSeconds => QueryTimeout <= TimeSpan.Zero || QueryTimeout == Timeout.InfiniteTimeSpan
        ? 0
        : (int)Math.Min(int.MaxValue, Math.Ceiling(QueryTimeout.TotalSeconds));

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"ConnectionString = {ConnectionStringRedaction.Redact(ConnectionString)}, ");
        builder.Append($"ReadConnectionString = {ConnectionStringRedaction.Redact(ReadConnectionString)}, ");
        builder.Append($"MigrationConnectionString = {ConnectionStringRedaction.Redact(MigrationConnectionString)}, ");
        builder.Append($"MaxPageSize = {MaxPageSize}, QueryTimeout = {QueryTimeout}, ResultCacheRows = {ResultCacheRows}, Migration = {Migration}");
        return true;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Erp.Db;

/// <summary>
/// The one place that turns server errors of the library's entry points (queries, ingest, refresh, posting, partitions, the
/// health check) into exceptions that say what to do: an undefined object of the warehouse becomes
/// <see cref="WarehouseNotMigratedException"/>, a query the server cancelled at <see cref="ErpDbOptions.QueryTimeout"/> a
/// <see cref="TimeoutException"/>. Each keeps the <see cref="PostgresException"/> as its inner exception.
/// </summary>
internal static partial class WarehouseErrors
{
    /// <summary>
    /// Whether <paramref name="error"/> is an undefined relation, schema or function (42P01, 3F000, 42883) of the warehouse's own
    /// schemas (dw, mart, ops): the database lacks the scripts, or has those of an older Erp.Db.
    /// </summary>
    public static bool IsNotMigrated(PostgresException error) =>
        error.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedFunction
        && WarehouseObject().IsMatch(error.MessageText);

    /// <summary>
    /// Whether <paramref name="error"/> is the server cancelling a query at its statement_timeout, which the library sets to
    /// <see cref="ErpDbOptions.QueryTimeout"/>: a 57014 that came after the query ran at least that long (one that came sooner is
    /// someone else's cancel, e.g. <c>pg_cancel_backend</c>, and stays as it is). The time, not the message, tells them apart:
    /// the server's messages may be translated.
    /// </summary>
    public static bool IsQueryTimeout(PostgresException error, ErpDbOptions options, TimeSpan elapsed) =>
        error.SqlState == PostgresErrorCodes.QueryCanceled && options.CommandTimeoutSeconds > 0 && elapsed >= options.QueryTimeout;

    /// <summary>What a query's <paramref name="error"/> should surface as, or null when it should surface as it is.</summary>
    public static Exception? ForQuery(PostgresException error, ErpDbOptions options, TimeSpan elapsed) =>
        IsNotMigrated(error) ? new WarehouseNotMigratedException(error)
        : IsQueryTimeout(error, options, elapsed) ? new TimeoutException(
            $"The query ran longer than its limit of {options.QueryTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s and the server cancelled it. "
            + "Raise ErpDbOptions.QueryTimeout (configuration key ErpDb:QueryTimeout), or ask for less (a shorter period, a smaller page).", error)
        : null;

    /// <summary>Runs <paramref name="run"/>; an undefined object of the warehouse surfaces as <see cref="WarehouseNotMigratedException"/>.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> run)
    {
        try
        {
            return await run();
        }
        catch (PostgresException e) when (IsNotMigrated(e))
        {
            throw new WarehouseNotMigratedException(e);
        }
    }

    /// <summary>
    /// A relation or schema named <c>dw.</c>, <c>mart.</c> or <c>ops.</c> (or the schema itself), or a function of those schemas,
    /// at the start of the server's message (<c>relation "mart.mv_daily_sales" does not exist</c>, <c>schema "ops" does not
    /// exist</c>, <c>function ops.view_status() does not exist</c>).
    /// </summary>
    [GeneratedRegex("""^((relation|schema) "(dw|mart|ops)[."]|function (dw|mart|ops)\.)""")]
    private static partial Regex WarehouseObject();
}

using System.Diagnostics;
using Npgsql;

namespace Erp.Db.Queries;

/// <summary>
/// Runs a read again when PostgreSQL refused a prepared statement whose result changed shape. The query pool prepares the
/// statements it runs often (<see cref="ErpDatabase.Create(ErpDbOptions, Microsoft.Extensions.Logging.ILoggerFactory?)"/>); after
/// a migration changes the columns or types one of them returns, each connection that prepared it gets
/// <c>0A000 cached plan must not change result type</c> once, and Npgsql prepares it again on its next use. A read has
/// nothing to undo, so it runs again, as many times as a batch has statements that can go stale, and then fails as it is.
/// Only that refusal (raised by the server's plan revalidation) is retried; any other 0A000 is an error of the query itself.
/// Every query's read runs here, so here too a missing warehouse object, a refused permission or the server's cancel at the query
/// timeout becomes the exception that says what to do (<see cref="WarehouseErrors.ForQuery"/>).
/// </summary>
internal static class ReplannedRead
{
    private const int Attempts = 4;

    /// <summary>The server routine that refuses a prepared statement whose result changed shape (not localized, unlike the message).</summary>
    private const string StalePlanRoutine = "RevalidateCachedQuery";

    public static async Task<T> RunAsync<T>(ErpDbOptions options, Func<Task<T>> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                return await read();
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.FeatureNotSupported && e.Routine == StalePlanRoutine && attempt < Attempts)
            {
            }
            catch (PostgresException e) when (WarehouseErrors.ForQuery(e, options, Stopwatch.GetElapsedTime(started)) is { } error)
            {
                throw error;
            }
        }
    }
}

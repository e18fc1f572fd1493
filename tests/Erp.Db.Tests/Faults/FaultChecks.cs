using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Faults;

/// <summary>What must hold after a run died: no lock of it left, the journal and the registry consistent.</summary>
internal static class FaultChecks
{
    /// <summary>Advisory locks anyone holds in this database (a dead run's must be gone with its backend).</summary>
    public static Task<long> AdvisoryLocksAsync(TestDatabase db) => db.ScalarAsync<long>(
        "SELECT count(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())");

    /// <summary>Journal rows beyond one per script name: a script applied twice.</summary>
    public static Task<long> DuplicateJournalRowsAsync(TestDatabase db) => db.ScalarAsync<long>(
        "SELECT count(*) - count(DISTINCT script_name) FROM ops.schema_journal");

    /// <summary>Registered views whose last refresh count differs from their rows, or that failed last time.</summary>
    public static async Task<IReadOnlyList<string>> ViewsOutOfStepAsync(TestDatabase db)
    {
        var names = (await db.ScalarAsync<string[]>("SELECT array_agg(view_name ORDER BY view_name) FROM ops.mv_registry")) ?? [];
        var wrong = new List<string>();
        foreach (var name in names)
        {
            var line = await db.ScalarAsync<string>(
                $"SELECT r.consecutive_failures || ':' || coalesce(r.last_row_count, -1) || ':' || (SELECT count(*) FROM {name}) FROM ops.mv_registry r WHERE r.view_name = '{name}'");
            var parts = line!.Split(':');
            if (parts[0] != "0" || parts[1] != parts[2])
            {
                wrong.Add($"{name} ({line})");
            }
        }
        return wrong;
    }
}

using Erp.Db.Migrations;
using Erp.Db.Migrations.Engine;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Erp.Db.Health;

/// <summary>
/// The schema's part of the health check: whether the database holds the scripts of this Erp.Db (<see cref="ErpDatabase.SchemaStatusAsync"/>),
/// added to the views' result. Scripts the database lacks are Degraded (<c>erpdb migrate</c> applies them). Scripts it holds that this
/// library does not know (a newer Erp.Db migrated it) are Degraded too, not Unhealthy: migrating before deploying is the documented
/// order, so the instances still running the older app see a newer schema during every rollout, and should not be taken out of service
/// for it; what they cannot read they report as failing views or <see cref="WarehouseNotMigratedException"/> on their own.
/// </summary>
internal static class SchemaHealth
{
    /// <summary>How many script names a description gives; the data lists them all.</summary>
    private const int NamesInDescription = 5;

    /// <summary>The data key of the schema's state: up to date, or what is pending and unknown.</summary>
    public const string StateKey = "schema";

    /// <summary>The data key of the scripts the database lacks (comma-separated names), when there are any.</summary>
    public const string PendingKey = "pendingScripts";

    /// <summary>The data key of the scripts the database holds that this library does not know (comma-separated names), when there are any.</summary>
    public const string UnknownKey = "unknownScripts";

    /// <summary>The data key of this library's version, which the names above are compared with.</summary>
    public const string VersionKey = "erpdbVersion";

    /// <summary>
    /// <paramref name="views"/> (the views' result, which reached the database) with the schema's state added: the worse of the two
    /// statuses, both descriptions, both data.
    /// </summary>
    public static async Task<HealthCheckResult> AddToAsync(HealthCheckResult views, ErpDatabase database, HealthStatus failureStatus,
        CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, object>(views.Data, StringComparer.Ordinal) { [VersionKey] = ToolVersion.Current };
        MigrationStatusReport report;
        try
        {
            report = await database.SchemaStatusAsync(cancellationToken);
        }
        catch (WarehouseNotMigratedException e)
        {
            // The views answered, so the database is migrated, by an Erp.Db from before ops.schema_journal_rows().
            data[StateKey] = "older than this Erp.Db";
            return Combine(views, HealthStatus.Degraded,
                $"The database was migrated by an older Erp.Db: it lacks ops.schema_journal_rows() ({e.Missing}) and likely more scripts this "
                + "Erp.Db ships. Run `erpdb migrate` (or ErpDatabase.Migrations.MigrateAsync() as the migrating login); `erpdb status` lists what is pending.",
                data, e);
        }
        catch (Exception e) when (e is WarehouseAccessException or Npgsql.NpgsqlException or TimeoutException)
        {
            data[StateKey] = "unknown";
            return Combine(views, failureStatus, $"Whether the schema matches this Erp.Db could not be read: {e.Message}", data, e);
        }

        var pending = report.Pending;
        var unknown = report.Unknown;
        var states = new List<string>();
        var descriptions = new List<string>();
        if (pending.Count > 0)
        {
            data[PendingKey] = string.Join(", ", pending.Select(s => s.Name));
            states.Add($"{pending.Count} pending");
            descriptions.Add($"The database lacks {Count(pending)} this Erp.Db ships ({Names(pending)}): run `erpdb migrate` "
                + "(or ErpDatabase.Migrations.MigrateAsync() as the migrating login) to apply them.");
        }
        if (unknown.Count > 0)
        {
            data[UnknownKey] = string.Join(", ", unknown.Select(s => s.Name));
            states.Add($"{unknown.Count} unknown");
            descriptions.Add($"The database holds {Count(unknown)} this Erp.Db {ToolVersion.Current} does not know ({Names(unknown)}): a newer "
                + "Erp.Db migrated it (or an applied migration was edited), and this app runs against a newer schema. Deploy the app with the "
                + "Erp.Db that migrated it; do not migrate with this one (it refuses).");
        }
        data[StateKey] = states.Count == 0 ? "up to date" : string.Join(", ", states);
        return states.Count == 0
            ? new HealthCheckResult(views.Status, views.Description, views.Exception, data)
            : Combine(views, HealthStatus.Degraded, string.Join(" ", descriptions), data, exception: null);
    }

    private static HealthCheckResult Combine(HealthCheckResult views, HealthStatus status, string description, Dictionary<string, object> data,
        Exception? exception) =>
        new((HealthStatus)Math.Min((int)views.Status, (int)status),
            views.Status == HealthStatus.Healthy ? description : $"{views.Description} {description}",
            views.Exception ?? exception, data);

    private static string Count(IReadOnlyList<ScriptStatus> scripts) => scripts.Count == 1 ? "1 script" : $"{scripts.Count} scripts";

    private static string Names(IReadOnlyList<ScriptStatus> scripts) =>
        string.Join(", ", scripts.Take(NamesInDescription).Select(s => s.Name))
        + (scripts.Count > NamesInDescription ? $" and {scripts.Count - NamesInDescription} more" : "");
}

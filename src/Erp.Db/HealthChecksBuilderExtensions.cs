using Erp.Db.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Erp.Db;

/// <summary>Adds the Erp.Db view health check to <c>services.AddHealthChecks()</c>.</summary>
public static class HealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check of the materialized views of the registered <see cref="ErpDatabase"/> (call <c>AddErpDb</c> too):
    /// Healthy when every view is populated, fresh and refreshing; Degraded when one is stale; Unhealthy when one
    /// failed to refresh 3 times in a row, is not populated, or no view is registered. Its data holds each view's state.
    /// A login that may not call <c>ops.view_status()</c> (an <c>erp_reader</c>) is checked with <c>ops.view_freshness()</c>
    /// instead: Degraded when a view is stale or its last refresh failed, Healthy otherwise.
    /// Then, with any login, the schema is compared with this library's scripts (<see cref="ErpDatabase.SchemaStatusAsync"/>):
    /// Degraded at worst when the database lacks scripts this library ships (run <c>erpdb migrate</c>) or holds scripts it does
    /// not know (a newer Erp.Db migrated it); the data's <c>schema</c>, <c>pendingScripts</c>, <c>unknownScripts</c> and
    /// <c>erpdbVersion</c> say which (docs/library.md).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default <c>erpdb</c>.</param>
    /// <param name="failureStatus">What to report when the database cannot be asked; Unhealthy when null.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    public static IHealthChecksBuilder AddErpDb(this IHealthChecksBuilder builder, string name = "erpdb", HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, sp => new ViewHealthCheck(sp.GetRequiredService<ErpDatabase>()), failureStatus, tags));
    }
}

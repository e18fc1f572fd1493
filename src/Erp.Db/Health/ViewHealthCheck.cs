using Erp.Db.Refresh;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Erp.Db.Health;

/// <summary>Reports the health of the materialized views (<c>ops.view_status()</c>) as an <see cref="IHealthCheck"/>.</summary>
internal sealed class ViewHealthCheck(ErpDatabase database) : IHealthCheck
{
    /// <summary>Consecutive failed refreshes from which a view is unhealthy (as <c>ops.view_status()</c>'s is_healthy).</summary>
    internal const int FailuresForUnhealthy = 3;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ViewStatus> views;
        try
        {
            views = await database.Refresh.GetStatusAsync(cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The view status could not be read.", e);
        }
        if (views.Count == 0)
        {
            return HealthCheckResult.Unhealthy("No materialized view is registered: the database is not migrated.");
        }
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var failing = new List<string>();
        var stale = new List<string>();
        foreach (var view in views)
        {
            var state = !view.IsPopulated ? "missing"
                : view.ConsecutiveFailures >= FailuresForUnhealthy ? $"failing x{view.ConsecutiveFailures}: {view.LastError}"
                : view.IsStale ? $"stale (age {view.Age?.ToString() ?? "never refreshed"}, stale after {view.StaleAfter})"
                : "healthy";
            data[view.ViewName] = state;
            if (state == "missing" || view.ConsecutiveFailures >= FailuresForUnhealthy)
            {
                failing.Add(view.ViewName);
            }
            else if (view.IsStale)
            {
                stale.Add(view.ViewName);
            }
        }
        if (failing.Count > 0)
        {
            return HealthCheckResult.Unhealthy($"Failing or missing views: {string.Join(", ", failing)}.", data: data);
        }
        return stale.Count > 0
            ? HealthCheckResult.Degraded($"Stale views: {string.Join(", ", stale)}.", data: data)
            : HealthCheckResult.Healthy($"{views.Count} views fresh.", data: data);
    }
}

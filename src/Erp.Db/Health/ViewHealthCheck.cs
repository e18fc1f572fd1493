using Erp.Db.Refresh;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Erp.Db.Health;

/// <summary>
/// Reports the health of the materialized views (<c>ops.view_status()</c>) as an <see cref="IHealthCheck"/>. A login that may
/// not call it (an <c>erp_reader</c>, the documented login of a reading app) gets the readers' narrow counterpart,
/// <c>ops.view_freshness()</c>: stale or failing views are Degraded (it does not say how many times a refresh failed, nor
/// whether a view is populated), so a reading app is not reported Unhealthy for the rights it was meant to have. A database
/// that is not migrated (or older than this library) is the registration's failure status, its exception the
/// <see cref="WarehouseNotMigratedException"/> that says to migrate; so is a login the server refuses, or a database that does not
/// exist, with the <see cref="WarehouseAccessException"/> that says what to fix. Once the views answered, the schema is compared with
/// this library's scripts (<see cref="SchemaHealth"/>): pending or unknown scripts make it Degraded at worst.
/// </summary>
internal sealed class ViewHealthCheck(ErpDatabase database) : IHealthCheck
{
    /// <summary>Consecutive failed refreshes from which a view is unhealthy (as <c>ops.view_status()</c>'s is_healthy).</summary>
    internal const int FailuresForUnhealthy = 3;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var views = await CheckViewsAsync(context, cancellationToken);
        // A database that could not be asked about its views (not migrated, refused, unreachable) is not asked about its schema.
        return views.Exception is null
            ? await SchemaHealth.AddToAsync(views, database, context.Registration.FailureStatus, cancellationToken)
            : views;
    }

    private async Task<HealthCheckResult> CheckViewsAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<ViewStatus> views;
        try
        {
            views = await database.Refresh.GetStatusAsync(cancellationToken);
        }
        catch (WarehouseAccessException e) when (e.Reason == WarehouseAccessReason.PermissionDenied)
        {
            return await ReaderCheckAsync(context, cancellationToken);
        }
        catch (Exception e) when (e is WarehouseNotMigratedException or WarehouseAccessException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The view status could not be read: {e.Message}", e);
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
            var state = !view.Populated ? "missing"
                : view.ConsecutiveFailures >= FailuresForUnhealthy ? $"failing x{view.ConsecutiveFailures}: {view.LastError}"
                : view.Stale ? $"stale (age {(view.AgeSeconds is { } age ? TimeSpan.FromSeconds(age).ToString() : "never refreshed")}, stale after {TimeSpan.FromSeconds(view.StaleAfterSeconds)})"
                : "healthy";
            data[view.View] = state;
            if (state == "missing" || view.ConsecutiveFailures >= FailuresForUnhealthy)
            {
                failing.Add(view.View);
            }
            else if (view.Stale)
            {
                stale.Add(view.View);
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

    /// <summary>The check as a login that may read the views' freshness but not <c>ops.view_status()</c>.</summary>
    private async Task<HealthCheckResult> ReaderCheckAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<Queries.ViewFreshness> views;
        try
        {
            views = await database.Queries.FreshnessAsync(cancellationToken);
        }
        catch (Exception e) when (e is WarehouseNotMigratedException or WarehouseAccessException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The view freshness could not be read: {e.Message}", e);
        }
        if (views.Count == 0)
        {
            return HealthCheckResult.Unhealthy("No materialized view this login may read is registered: the database is not migrated, or the login is not a member of erp_reader.");
        }
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var degraded = new List<string>();
        foreach (var view in views)
        {
            var state = view.Failing ? "failing: its last refresh failed"
                : view.Stale ? $"stale (age {(view.AgeSeconds is { } age ? TimeSpan.FromSeconds(Math.Round(age)).ToString() : "never refreshed")})"
                : "healthy";
            data[view.View] = state;
            if (view.Failing || view.Stale)
            {
                degraded.Add(view.View);
            }
        }
        return degraded.Count > 0
            ? HealthCheckResult.Degraded($"Stale or failing views: {string.Join(", ", degraded)} (read as a reader: ops.view_freshness()).", data: data)
            : HealthCheckResult.Healthy($"{views.Count} views fresh.", data: data);
    }
}

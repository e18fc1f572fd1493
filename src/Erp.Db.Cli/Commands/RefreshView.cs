using System.Globalization;
using Erp.Db.Cli.Output;
using Erp.Db.Refresh;

namespace Erp.Db.Cli.Commands;

/// <summary>How refresh and views show their rows (in CSV, as the JSON's raw values).</summary>
internal static class RefreshView
{
    public static object Result(RefreshResult r) => new
    {
        view = r.View,
        status = r.Status,
        rows = r.RowCount,
        durationMs = r.DurationMs,
        concurrently = r.Concurrently,
        startedAt = r.StartedAt,
        error = r.Error,
        sqlState = r.ErrorSqlState,
        trigger = r.Trigger,
    };

    public static TableView Results(IReadOnlyList<RefreshResult> results, string caption) => new(
        ["View", "Status", "Rows", "ms", "Error"],
        [.. results.Select(r => (IReadOnlyList<string>)[
            r.View,
            r.Status.ToString().ToLowerInvariant(),
            r.RowCount?.ToString(CultureInfo.InvariantCulture) ?? "",
            r.DurationMs.ToString("0", CultureInfo.InvariantCulture),
            r.Error ?? ""])],
        caption,
        Records: results.Select(Result),
        WrapText: results.Any(r => r.Error is not null));

    public static object Status(ViewStatus s) => new
    {
        view = s.View,
        rows = s.RowCount,
        lastRefresh = s.LastRefresh,
        lastDurationMs = s.LastDurationMs,
        status = s.LastStatus,
        lastError = s.LastError,
        ageSeconds = s.AgeSeconds is { } age ? Math.Round(age, 1) : (double?)null,
        stale = s.Stale,
        pendingChanges = s.PendingChanges,
        consecutiveFailures = s.ConsecutiveFailures,
        healthy = s.Healthy,
        refreshIntervalSeconds = s.RefreshIntervalSeconds,
        staleAfterSeconds = s.StaleAfterSeconds,
        dependsOn = s.DependsOn,
        retryAfter = s.RetryAfter,
    };

    public static TableView Statuses(IReadOnlyList<ViewStatus> statuses, string caption) => new(
        ["View", "Rows", "Last refresh", "ms", "Status", "Age", "Stale", "Fails", "Retry at"],
        [.. statuses.Select(s => (IReadOnlyList<string>)[
            s.View.Replace("mart.", "", StringComparison.Ordinal),
            s.RowCount?.ToString(CultureInfo.InvariantCulture) ?? "",
            s.LastRefresh is { } at ? Bi.Cells.Time(at) : "never",
            s.LastDurationMs?.ToString("0", CultureInfo.InvariantCulture) ?? "",
            s.LastStatus?.ToString().ToLowerInvariant() ?? "",
            s.AgeSeconds is { } age ? Age(TimeSpan.FromSeconds(age)) : "",
            s.Stale ? "yes" : "no",
            s.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture),
            s.RetryAfter?.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) ?? ""])],
        caption,
        Records: statuses.Select(Status));

    public static TableView Freshness(IReadOnlyList<Erp.Db.Queries.ViewFreshness> views, string caption) => new(
        ["View", "Last refresh", "Age", "Stale", "Failing"],
        [.. views.Select(v => (IReadOnlyList<string>)[
            v.View.Replace("mart.", "", StringComparison.Ordinal),
            v.LastRefresh is { } at ? Bi.Cells.Time(at) : "never",
            v.AgeSeconds is { } seconds ? Age(TimeSpan.FromSeconds(seconds)) : "",
            v.Stale ? "yes" : "no",
            v.Failing ? "yes" : "no"])],
        caption,
        Records: views);

    private static string Age(TimeSpan age) =>
        age.TotalMinutes < 1 ? $"{age.TotalSeconds:0}s" : age.TotalHours < 1 ? $"{age.TotalMinutes:0}m" : age.TotalDays < 1 ? $"{age.TotalHours:0.#}h" : $"{age.TotalDays:0.#}d";
}

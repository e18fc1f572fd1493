namespace Erp.Db.Refresh;

/// <summary>Freshness and health of one registered view (a row of <c>ops.view_status()</c>).</summary>
/// <param name="View">Schema-qualified view name.</param>
/// <param name="RowCount">Rows after the last successful refresh.</param>
/// <param name="LastRefresh">End of the last successful refresh (UTC), if any.</param>
/// <param name="LastDurationMs">Duration of the last successful refresh.</param>
/// <param name="LastStatus">Status of the newest attempt, if any.</param>
/// <param name="LastError">Error of the newest attempt, if it failed.</param>
/// <param name="AgeSeconds">Seconds since the last successful refresh; null if never refreshed (as <see cref="Queries.ViewFreshness.AgeSeconds"/>).</param>
/// <param name="RefreshIntervalSeconds">How often the view is due, in seconds.</param>
/// <param name="StaleAfterSeconds">Age in seconds from which the view is stale.</param>
/// <param name="Stale">Never refreshed, or older than <paramref name="StaleAfterSeconds"/>.</param>
/// <param name="PendingChanges">What it reads changed since its last refresh: the next due refresh will show it (as <see cref="Queries.ViewFreshness.PendingChanges"/>).</param>
/// <param name="PendingChangesSince">When those changes began (the first change the view does not show yet).</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last success.</param>
/// <param name="Healthy">Populated, fewer than 3 consecutive failures and not stale.</param>
/// <param name="Populated">The view exists and holds data.</param>
/// <param name="RefreshConcurrently">Registered to refresh CONCURRENTLY.</param>
/// <param name="DependsOn">Materialized views it reads.</param>
/// <param name="RetryAfter">
/// While a failing view backs off: when due refreshes try it again (a manual refresh does not wait).
/// </param>
public sealed record ViewStatus(
    string View,
    long? RowCount,
    DateTimeOffset? LastRefresh,
    decimal? LastDurationMs,
    RefreshStatus? LastStatus,
    string? LastError,
    double? AgeSeconds,
    double RefreshIntervalSeconds,
    double StaleAfterSeconds,
    bool Stale,
    bool PendingChanges,
    DateTimeOffset? PendingChangesSince,
    int ConsecutiveFailures,
    bool Healthy,
    bool Populated,
    bool RefreshConcurrently,
    IReadOnlyList<string> DependsOn,
    DateTimeOffset? RetryAfter = null);

namespace Erp.Db.Queries;

/// <summary>How fresh one materialized view a result was read from is, and whether its refresh is failing.</summary>
/// <param name="View">The materialized view, e.g. <c>mart.mv_daily_sales</c>.</param>
/// <param name="LastRefresh">When its last successful refresh finished; null if never.</param>
/// <param name="AgeSeconds">Seconds since then; null if never refreshed.</param>
/// <param name="Stale">True when older than the view's stale-after setting (or never refreshed).</param>
/// <param name="PendingChanges">True when data the view reads changed after its last refresh: the next due refresh will show it. Always false for a login limited to particular merchants: other merchants' writes are not theirs to see.</param>
/// <param name="Failing">True when the view's last refresh attempt failed: the rows are those of <paramref name="LastRefresh"/> and will not move until the failure is fixed (see <c>erpdb views</c> or <c>erpdb doctor</c>).</param>
public sealed record ViewFreshness(string View, DateTimeOffset? LastRefresh, double? AgeSeconds, bool Stale, bool PendingChanges, bool Failing = false)
{
    /// <summary>A row of <c>ops.view_freshness</c> or <c>ops.view_epochs</c>: a view never refreshed is stale; an unknown dirty mark (a scoped reader's) is no pending change.</summary>
    internal static ViewFreshness FromRow(string view, DateTime? lastRefreshAt, double? ageSeconds, bool? isStale, bool? isDirty, bool? isFailing) =>
        new(view, lastRefreshAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null,
            ageSeconds, isStale ?? true, isDirty ?? false, isFailing ?? false);
}

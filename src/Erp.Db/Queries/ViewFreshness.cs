namespace Erp.Db.Queries;

/// <summary>How fresh one materialized view a result was read from is.</summary>
/// <param name="View">The materialized view, e.g. <c>mart.mv_daily_sales</c>.</param>
/// <param name="LastRefresh">When its last successful refresh finished; null if never.</param>
/// <param name="AgeSeconds">Seconds since then; null if never refreshed.</param>
/// <param name="Stale">True when older than the view's stale-after setting (or never refreshed).</param>
/// <param name="PendingChanges">True when data the view reads changed after its last refresh: the next due refresh will show it. Always false for a login limited to particular merchants: other merchants' writes are not theirs to see.</param>
public sealed record ViewFreshness(string View, DateTimeOffset? LastRefresh, double? AgeSeconds, bool Stale, bool PendingChanges);

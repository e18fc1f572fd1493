namespace Erp.Db.Refresh;

/// <summary>Settings of <see cref="RefreshWorker"/>. Immutable once built.</summary>
public sealed record RefreshWorkerOptions
{
    /// <summary>Time between due refreshes. Default one minute, like the pg_cron job.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Time between runs of <c>dw.ensure_partitions</c> (the first run is at start). Default one day,
    /// like the pg_cron job; <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan PartitionInterval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Time between runs of the overdue check <c>dw.mark_overdue_receivables</c> (the first run is at
    /// start). Default one day, like the pg_cron job; <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan OverdueCheckInterval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Time between runs of the low-stock check <c>dw.check_stock_levels</c> (the first run is at
    /// start). Default six hours, like the pg_cron job; <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan StockCheckInterval { get; init; } = TimeSpan.FromHours(6);

    /// <summary>The trigger written to the refresh log. Default <c>worker</c>.</summary>
    public string Trigger { get; init; } = "worker";
}

namespace Erp.Db.Refresh;

/// <summary>One refresh attempt: a row of <c>ops.mv_refresh_log</c>.</summary>
/// <param name="LogId">The log row's id.</param>
/// <param name="View">Schema-qualified view name; <c>ops.compute_c_class</c> for the recompute of the C-class results (targets, campaigns, shop health, product rankings) that follows a full or due refresh, <c>ops.refresh_due</c> for a due run that failed outside a view.</param>
/// <param name="Status">Succeeded, failed or skipped.</param>
/// <param name="StartedAt">When the attempt started (UTC).</param>
/// <param name="FinishedAt">When it ended (UTC).</param>
/// <param name="DurationMs">How long it took, in milliseconds.</param>
/// <param name="RowCount">Rows in the view after a success.</param>
/// <param name="Concurrently">Whether REFRESH ... CONCURRENTLY was used.</param>
/// <param name="Error">PostgreSQL's message for a failure; the reason for a skip.</param>
/// <param name="ErrorSqlState">SQLSTATE of a failure.</param>
/// <param name="Trigger">What asked for the refresh (schedule, worker, cli, manual, ...).</param>
public sealed record RefreshResult(
    long LogId,
    string View,
    RefreshStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    decimal DurationMs,
    long? RowCount,
    bool? Concurrently,
    string? Error,
    string? ErrorSqlState,
    string Trigger);

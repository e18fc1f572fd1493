namespace Erp.Db.Refresh;

/// <summary>The calls <see cref="ViewRefresher"/> makes; the logic lives in <c>sql/functions/ops.*.sql</c>.</summary>
internal static class RefreshSql
{
    private const string LogColumns = """
        log_id AS LogId, view_name AS ViewName, status AS Status, started_at AS StartedAt, finished_at AS FinishedAt,
        duration_ms AS DurationMs, row_count AS RowCount, was_concurrent AS Concurrently, error_message AS Error,
        error_sqlstate AS ErrorSqlState, refresh_trigger AS Trigger
        """;

    /// <summary>One view; <c>@full</c> rebuilds an incremental aggregate from scratch instead of recomputing its invalidated buckets.</summary>
    public const string RefreshView = "SELECT " + LogColumns + " FROM ops.refresh_view(@view, @trigger, @full)";

    /// <summary>A refresh its statement timeout cut as <c>ops.refresh_view</c> started, before the function could log it.</summary>
    public const string LogTimeout = "SELECT " + LogColumns + " FROM ops.log_refresh_timeout(@view, @trigger, @error, @started)";

    /// <summary>Cancels what a session of the same login is running; the session lives on.</summary>
    public const string CancelBackend = "SELECT pg_cancel_backend(@pid)";

    /// <summary>
    /// Sets the view's registered statement timeout for the next statement (the refresh): PostgreSQL
    /// arms the timer when a client statement starts, so a timeout set inside the refresh would not bound it.
    /// </summary>
    public const string SetTimeout = "SELECT pg_catalog.set_config('statement_timeout', ops.refresh_statement_timeout(@view), false)";

    public const string GetTimeout = "SELECT pg_catalog.current_setting('statement_timeout')";

    public const string GetLockTimeout = "SELECT pg_catalog.current_setting('lock_timeout')";

    /// <summary>
    /// The lock timeout of scheduled runs (<c>ops.scheduled_lock_timeout</c>), for the session (a due run, as
    /// <c>ops.refresh_due</c> sets it) or with <c>@local</c> for the transaction (a scheduled check): a step that cannot get
    /// a lock in time gives up this round instead of waiting for a long transaction that holds it.
    /// </summary>
    public const string SetScheduledLockTimeout = "SELECT pg_catalog.set_config('lock_timeout', ops.scheduled_lock_timeout(), @local)";

    public const string RestoreLockTimeout = "SELECT pg_catalog.set_config('lock_timeout', @timeout, false)";

    public const string RestoreTimeout = "SELECT pg_catalog.set_config('statement_timeout', @timeout, false)";

    /// <summary>
    /// The lock of <c>ops.refresh_due</c>: a due run from here and one from pg_cron never overlap.
    /// <c>locked</c> (held now: unlock it), <c>running</c> (another due run holds it: skip) or
    /// <c>bypassed</c> (a login that may not run due refreshes holds it: run without it).
    /// </summary>
    public const string TryLockDueRun = "SELECT ops.try_lock_due_run()";

    public const string UnlockDueRun = "SELECT pg_catalog.pg_advisory_unlock(ops.due_run_lock_key())";

    /// <summary>The next due or dirty view not yet refreshed in this run (as in <c>ops.refresh_due</c>).</summary>
    public const string NextDue = """
        SELECT v.view_name FROM ops.views_to_refresh(true) AS v
        WHERE v.view_name <> ALL (@done) ORDER BY v.refresh_level, v.view_name LIMIT 1
        """;

    /// <summary>Every C-class result recomputed (after a full refresh).</summary>
    public const string RecomputeCClass = "SELECT " + LogColumns + " FROM ops.recompute_c_class(@trigger) WHERE log_id IS NOT NULL";

    /// <summary>The C-class results of the periods whose facts changed (after a due refresh, as in <c>ops.refresh_due</c>).</summary>
    public const string RecomputeChangedCClass = "SELECT " + LogColumns + " FROM ops.recompute_changed_c_class(@trigger) WHERE log_id IS NOT NULL";

    /// <summary>The refresh watchdog: cancels other sessions' view refreshes past their statement timeout; returns how many.</summary>
    public const string CancelOverrunning = "CALL ops.cancel_overrunning_refreshes()";

    public const string MarkOverdue = "SELECT dw.mark_overdue_receivables()";
    public const string CheckStockLevels = "SELECT dw.check_stock_levels()";
    public const string Purge = "SELECT ops.purge_refresh_log()";

    public const string LogRun = "SELECT " + LogColumns + " FROM ops.log_refresh_run(@trigger, @status, @error, @sqlState)";

    /// <summary>Registered views in dependency order.</summary>
    public const string Order = "SELECT view_name FROM ops.views_to_refresh(false) ORDER BY refresh_level, view_name";

    public const string Status = """
        SELECT view_name AS ViewName, row_count AS RowCount, last_refresh_at AS LastRefreshAt, last_duration_ms AS LastDurationMs,
               last_status AS LastStatus, last_error AS LastError, age AS Age, refresh_interval AS RefreshInterval,
               stale_after AS StaleAfter, is_stale AS IsStale, is_dirty AS IsDirty, dirty_since AS DirtySince,
               consecutive_failures AS ConsecutiveFailures, is_healthy AS IsHealthy, is_populated AS IsPopulated,
               refresh_concurrently AS RefreshConcurrently, depends_on AS DependsOn, retry_after AS RetryAfter
        FROM ops.view_status()
        """;
}

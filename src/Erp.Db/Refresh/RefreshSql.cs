namespace Erp.Db.Refresh;

/// <summary>The calls <see cref="ViewRefresher"/> makes; the logic lives in <c>sql/functions/ops.*.sql</c>.</summary>
internal static class RefreshSql
{
    private const string LogColumns = """
        log_id AS LogId, view_name AS ViewName, status AS Status, started_at AS StartedAt, finished_at AS FinishedAt,
        duration_ms AS DurationMs, row_count AS RowCount, was_concurrent AS Concurrently, error_message AS Error,
        error_sqlstate AS ErrorSqlState, refresh_trigger AS Trigger
        """;

    public const string RefreshView = "SELECT " + LogColumns + " FROM ops.refresh_view(@view, @trigger)";

    public const string RefreshAll = "CALL ops.refresh_all(@trigger, NULL)";

    public const string RefreshDue = "CALL ops.refresh_due(@trigger, NULL)";

    public const string Results = "SELECT " + LogColumns + " FROM ops.refresh_results(@ids)";

    /// <summary>Registered views in dependency order.</summary>
    public const string Order = "SELECT view_name FROM ops.views_to_refresh(false) ORDER BY refresh_level, view_name";

    public const string Status = """
        SELECT view_name AS ViewName, row_count AS RowCount, last_refresh_at AS LastRefreshAt, last_duration_ms AS LastDurationMs,
               last_status AS LastStatus, last_error AS LastError, age AS Age, refresh_interval AS RefreshInterval,
               stale_after AS StaleAfter, is_stale AS IsStale, is_dirty AS IsDirty, dirty_since AS DirtySince,
               consecutive_failures AS ConsecutiveFailures, is_healthy AS IsHealthy, is_populated AS IsPopulated,
               refresh_concurrently AS RefreshConcurrently, depends_on AS DependsOn
        FROM ops.view_status()
        """;
}

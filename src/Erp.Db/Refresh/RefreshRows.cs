namespace Erp.Db.Refresh;

/// <summary>The rows Dapper reads, in Npgsql's own types; mapped to the public records.</summary>
internal static class RefreshRows
{
    public sealed class Log
    {
        public long LogId { get; init; }

        public string ViewName { get; init; } = "";

        public string Status { get; init; } = "";

        public DateTime StartedAt { get; init; }

        public DateTime FinishedAt { get; init; }

        public decimal DurationMs { get; init; }

        public long? RowCount { get; init; }

        public bool? Concurrently { get; init; }

        public string? Error { get; init; }

        public string? ErrorSqlState { get; init; }

        public string Trigger { get; init; } = "";

        public RefreshResult ToResult() => new(LogId, ViewName, ParseStatus(Status), Utc(StartedAt), Utc(FinishedAt), DurationMs,
            RowCount, Concurrently, Error, ErrorSqlState, Trigger);
    }

    public sealed class Status
    {
        public string ViewName { get; init; } = "";

        public long? RowCount { get; init; }

        public DateTime? LastRefreshAt { get; init; }

        public decimal? LastDurationMs { get; init; }

        public string? LastStatus { get; init; }

        public string? LastError { get; init; }

        public TimeSpan? Age { get; init; }

        public TimeSpan RefreshInterval { get; init; }

        public TimeSpan StaleAfter { get; init; }

        public bool IsStale { get; init; }

        public bool IsDirty { get; init; }

        public DateTime? DirtySince { get; init; }

        public int ConsecutiveFailures { get; init; }

        public bool IsHealthy { get; init; }

        public bool IsPopulated { get; init; }

        public bool RefreshConcurrently { get; init; }

        public string[] DependsOn { get; init; } = [];

        public DateTime? RetryAfter { get; init; }

        public ViewStatus ToStatus() => new(ViewName, RowCount, LastRefreshAt is { } at ? Utc(at) : null, LastDurationMs,
            LastStatus is null ? null : ParseStatus(LastStatus), LastError, Age?.TotalSeconds, RefreshInterval.TotalSeconds, StaleAfter.TotalSeconds, IsStale, IsDirty,
            DirtySince is { } since ? Utc(since) : null, ConsecutiveFailures, IsHealthy, IsPopulated, RefreshConcurrently, DependsOn,
            RetryAfter is { } retry ? Utc(retry) : null);
    }

    private static RefreshStatus ParseStatus(string status) => Enum.Parse<RefreshStatus>(status, ignoreCase: true);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

namespace Erp.Db.Refresh;

/// <summary>Outcome of one refresh attempt, as logged in <c>ops.mv_refresh_log</c>.</summary>
public enum RefreshStatus
{
    /// <summary>The view was refreshed.</summary>
    Succeeded,

    /// <summary>The refresh failed; <see cref="RefreshResult.Error"/> says why. Other views were not affected.</summary>
    Failed,

    /// <summary>Another refresh of the same view was running, so this one did nothing.</summary>
    Skipped,

    /// <summary>The caller cancelled the run while this view refreshed; the run stopped there.</summary>
    Cancelled,
}

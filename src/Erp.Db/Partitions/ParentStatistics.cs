namespace Erp.Db.Partitions;

/// <summary>
/// The partitioned facts' own statistics, which the planner estimates joins with them on and autovacuum never gathers
/// (<c>ops.analyze_stale_parents</c>; docs/refresh.md, "Statistics of the partitioned facts"). Taken in a transaction of their
/// own: before an ingest batch begins, and before a due refresh's views.
/// </summary>
internal static class ParentStatistics
{
    /// <summary>Analyses the partitioned facts whose statistics are missing or off their partitions' rows by half; returns how many.</summary>
    public const string AnalyzeStale = "SELECT ops.analyze_stale_parents()";
}

using Erp.Db.Refresh;

namespace Erp.Db.Seeding;

/// <summary>What a seed run loaded, and how fast.</summary>
/// <param name="Database">The database seeded.</param>
/// <param name="StartDate">First day of the generated range.</param>
/// <param name="EndDate">Last day of the generated range.</param>
/// <param name="RandomSeed">The seed used; the same seed and options give the same data.</param>
/// <param name="Replaced">True when existing data was truncated first.</param>
/// <param name="Tables">Rows and time per table, in load order.</param>
/// <param name="LoadElapsed">From the start until the load's transaction committed.</param>
/// <param name="AnalyzeElapsed">Time of the ANALYZE that followed the commit.</param>
/// <param name="Refreshed">The views (and C-class results) the due refresh after the load refreshed; empty when <see cref="SeedOptions.RefreshViews"/> is off.</param>
/// <param name="RefreshElapsed">Time of that refresh.</param>
public sealed record SeedReport(
    string Database,
    DateOnly StartDate,
    DateOnly EndDate,
    int RandomSeed,
    bool Replaced,
    IReadOnlyList<SeedTableReport> Tables,
    TimeSpan LoadElapsed,
    TimeSpan AnalyzeElapsed,
    IReadOnlyList<RefreshResult> Refreshed,
    TimeSpan RefreshElapsed)
{
    /// <summary>Rows written over all tables.</summary>
    public long TotalRows => Tables.Sum(t => t.Rows);

    /// <summary>Load, ANALYZE and the refresh of the views together.</summary>
    public TimeSpan Elapsed => LoadElapsed + AnalyzeElapsed + RefreshElapsed;

    /// <summary>All rows divided by the load time (until commit).</summary>
    public double RowsPerSecond => LoadElapsed > TimeSpan.Zero ? TotalRows / LoadElapsed.TotalSeconds : 0;
}

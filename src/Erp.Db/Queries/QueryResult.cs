namespace Erp.Db.Queries;

/// <summary>A query's rows and the freshness of the views they came from.</summary>
/// <typeparam name="T">The result's shape.</typeparam>
/// <param name="Data">The result.</param>
/// <param name="Freshness">One entry per materialized view read.</param>
public sealed record QueryResult<T>(T Data, IReadOnlyList<ViewFreshness> Freshness)
{
    /// <summary>
    /// The day the result is as of: the warehouse's today when the query ran, the date in the database's time zone, which is the
    /// server's <c>CURRENT_DATE</c> (<see cref="ErpDatabase.TodayAsync"/>, docs/today.md); a report's <see cref="Reports.ReportQuery.AsOf"/>
    /// when that is set. Default periods end on it, and a bucket that reaches it is incomplete.
    /// </summary>
    public DateOnly AsOf { get; init; }
}

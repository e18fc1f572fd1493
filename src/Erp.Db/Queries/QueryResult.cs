namespace Erp.Db.Queries;

/// <summary>A query's rows and the freshness of the views they came from.</summary>
/// <typeparam name="T">The result's shape.</typeparam>
/// <param name="Data">The result.</param>
/// <param name="Freshness">One entry per materialized view read.</param>
public sealed record QueryResult<T>(T Data, IReadOnlyList<ViewFreshness> Freshness);

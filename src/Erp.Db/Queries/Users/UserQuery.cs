using Erp.Db.Queries.Trends;

namespace Erp.Db.Queries.Users;

/// <summary>User activity and customer value (<c>erpdb users</c>); definitions in <see cref="MetricDefinitions.Users"/>.</summary>
public sealed record UserQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>The days to cover.</summary>
    public required Period Period { get; init; }

    /// <summary>Bucket size: day, ISO week or month.</summary>
    public Granularity Grain { get; init; } = Granularity.Day;
}

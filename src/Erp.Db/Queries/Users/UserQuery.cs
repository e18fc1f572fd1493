using Erp.Db.Queries.Trends;

namespace Erp.Db.Queries.Users;

/// <summary>User activity and customer value (<c>erpdb users</c>); definitions in <see cref="MetricDefinitions.Users"/>.</summary>
/// <param name="MerchantId">The merchant; isolation is enforced by the database.</param>
/// <param name="Period">The days to cover.</param>
/// <param name="Grain">Bucket size: day, ISO week or month.</param>
public sealed record UserQuery(long MerchantId, Period Period, Granularity Grain = Granularity.Day);

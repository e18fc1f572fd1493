namespace Erp.Db.Queries.Trends;

/// <summary>Trends (<c>erpdb trends</c>): revenue, orders and profit over time.</summary>
/// <param name="MerchantId">The merchant; isolation is enforced by the database.</param>
/// <param name="Period">The days to cover.</param>
/// <param name="Granularity">Bucket size.</param>
public sealed record TrendQuery(long MerchantId, Period Period, Granularity Granularity = Granularity.Day);

using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Users;

namespace Erp.Db.Queries;

/// <summary>The user query of <see cref="WarehouseQueries"/>.</summary>
public sealed partial class WarehouseQueries
{
    /// <summary>
    /// DAU, MAU, new and returning users, session length, D1/D7/D30 retention, ARPU and ARPPU per day, ISO week
    /// or month of a period, and the LTV (30/90/365 days) of the first-order cohorts of the months it touches.
    /// Definitions: <see cref="MetricDefinitions.Users"/>.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range.</exception>
    public Task<QueryResult<UserReport>> UsersAsync(UserQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Period);
        ThrowIfUndefined("grain", query.Grain);
        var parameters = new { start = Sql.Date(query.Period.Start), end = Sql.Date(query.Period.End), unit = UserSql.Unit(query.Grain) };
        return MerchantScope.QueryAsync(database, query.MerchantId, UserSql.Report, parameters, UserSql.Views, async grid =>
        {
            var buckets = (await grid.ReadAsync<UserBucket>()).ToList();
            var cohorts = (await grid.ReadAsync<CustomerCohort>()).ToList();
            return new UserReport(new PeriodInfo(query.Period.Start, query.Period.End, query.Period.Days), query.Grain, buckets, cohorts);
        }, Cached<UserReport>("users", query, r => r.Buckets.Count + r.Cohorts.Count), cancellationToken);
    }
}

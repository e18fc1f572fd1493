using Erp.Db.Queries.Funnel;
using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Queries;

/// <summary>The funnel query of <see cref="WarehouseQueries"/>.</summary>
public sealed partial class WarehouseQueries
{
    /// <summary>
    /// Visitors, add to cart, checkout and orders with each step's conversion and the overall rate, per day, ISO week
    /// or month, per shop or per platform (a page of them), and for the whole period. Definitions: <see cref="MetricDefinitions.Funnel"/>.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range.</exception>
    public Task<QueryResult<FunnelReport>> FunnelAsync(FunnelQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Period);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        ThrowIfUndefined("grain", query.Grain);
        ThrowIfUndefined("by", query.By);
        var parameters = new { start = Sql.Date(query.Period.Start), end = Sql.Date(query.Period.End), unit = TrendSql.Unit(query.Grain), by = FunnelSql.By(query.By) };
        return MerchantScope.QueryAsync(database, query.MerchantId, FunnelSql.Report, parameters, FunnelSql.Views, async grid =>
        {
            var rows = (await grid.ReadAsync<FunnelRow>()).ToList();
            var totals = await grid.ReadSingleAsync<FunnelRow>();
            return new FunnelReport(new PeriodInfo(query.Period.Start, query.Period.End, query.Period.Days), query.Grain, query.By, paging.Of(rows), totals);
        }, Cached<FunnelReport>("funnel", query, r => r.Rows.Items.Count + 1), cancellationToken);
    }
}

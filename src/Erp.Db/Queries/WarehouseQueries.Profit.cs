using Erp.Db.Queries.Profit;
using Erp.Db.Queries.Sales;

namespace Erp.Db.Queries;

/// <summary>The profit query of <see cref="WarehouseQueries"/>.</summary>
public sealed partial class WarehouseQueries
{
    /// <summary>
    /// Revenue, cost, fees, gross and net profit, margins, expenses, operating profit and the ROI of expenses per shop,
    /// platform, product, category or period, the totals, and the ROI of the campaigns that overlap the period.
    /// Definitions: <see cref="MetricDefinitions.Profit"/>.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range.</exception>
    public Task<QueryResult<ProfitReport>> ProfitAsync(ProfitQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Period);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        ThrowIfUndefined("by", query.By);
        ThrowIfUndefined("grain", query.Grain);
        var perLine = query.By is ProfitGrouping.Product or ProfitGrouping.Category;
        var parameters = new
        {
            start = Sql.Date(query.Period.Start),
            end = Sql.Date(query.Period.End),
            unit = ProfitSql.Unit(query.By, query.Grain),
            by = ProfitSql.By(query.By),
            limit = paging.PageSize,
            offset = paging.Offset,
        };
        return MerchantScope.QueryAsync(database, query.MerchantId, ProfitSql.Report(query.By), parameters, ProfitSql.Views, async grid =>
        {
            var totals = await grid.ReadSingleAsync<ProfitRow>();
            var rows = (await grid.ReadAsync<ProfitRow>()).ToList();
            var page = perLine ? new PagedResult<ProfitRow>(rows, await grid.ReadSingleAsync<long>(), paging.Page, paging.PageSize) : paging.Of(rows);
            var campaigns = (await grid.ReadAsync<CampaignRoi>()).ToList();
            return new ProfitReport(new PeriodInfo(query.Period.Start, query.Period.End, query.Period.Days), query.By, query.Grain, totals, page, campaigns);
        }, cancellationToken);
    }
}

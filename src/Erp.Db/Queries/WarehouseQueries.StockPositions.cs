using Erp.Db.Queries.StockPositions;

namespace Erp.Db.Queries;

/// <summary>The stock positions query of <see cref="WarehouseQueries"/>.</summary>
public sealed partial class WarehouseQueries
{
    /// <summary>
    /// The merchant's stock positions, one per product and warehouse, least available first, each with its status against its own
    /// safety stock (the rule of the low-stock and out-of-stock alerts, which are raised per position) and its shortages; with
    /// totals over every position of the filter. Read from the positions themselves: always current, so no freshness entries.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range: a page, a <see cref="StockPositionsQuery.Sku"/> that
    /// is not one of the merchant's products, a <see cref="StockPositionsQuery.Warehouse"/> that is neither its shipping warehouse nor one it holds stock in, or a
    /// <see cref="StockPositionsQuery.CategoryId"/> that is not one of its categories.</exception>
    public Task<QueryResult<StockPositionsReport>> StockPositionsAsync(StockPositionsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        ThrowIfUndefined("status", query.Status);
        var parameters = new
        {
            sku = query.Sku,
            warehouse = query.Warehouse,
            category_id = query.CategoryId,
            status = query.Status == PositionFilter.All ? null : query.Status.ToString().ToLowerInvariant(),
            limit = paging.PageSize,
            offset = paging.Offset,
        };
        return MerchantScope.QueryAsync(database, query.MerchantId, StockPositionsSql.Report, parameters, StockPositionsSql.Views, async grid =>
        {
            await ThrowIfUnknownCategoryAsync(grid);
            var known = await grid.ReadSingleAsync<PositionFiltersKnown>();
            if (!known.SkuKnown)
            {
                throw new QueryValidationException("sku", $"No product of merchant {query.MerchantId} has the SKU {query.Sku}.");
            }
            if (known.KnownWarehouses is { } warehouses)
            {
                throw new QueryValidationException("warehouse", $"Merchant {query.MerchantId} has no warehouse {query.Warehouse}; its warehouses: {warehouses}.");
            }
            var totals = await grid.ReadSingleAsync<StockPositionsTotals>();
            var rows = (await grid.ReadAsync<PositionRow>()).ToList();
            var count = query.Status switch
            {
                PositionFilter.Out => totals.OutOfStock,
                PositionFilter.Low => totals.LowStock,
                PositionFilter.Shortage => totals.ShortOfStock,
                _ => totals.Positions,
            };
            return new StockPositionsReport(totals, new PagedResult<PositionRow>(rows, count, paging.Page, paging.PageSize));
        }, cancellationToken);
    }

    /// <summary>Whether the SKU filter names one of the merchant's (true when not asked); its warehouse codes when the warehouse filter names none of them, else null.</summary>
    private sealed record PositionFiltersKnown(bool SkuKnown, string? KnownWarehouses);
}

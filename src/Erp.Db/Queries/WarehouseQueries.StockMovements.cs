using Erp.Db.Queries.StockMovements;

namespace Erp.Db.Queries;

/// <summary>The stock movements query of <see cref="WarehouseQueries"/>.</summary>
public sealed partial class WarehouseQueries
{
    /// <summary>
    /// The merchant's stock movements, newest first, each with its product, the order it posts (if any) and the book balance on
    /// hand right after it, so that a stock figure can be traced to the movements that made it; with totals over every matching
    /// movement (units in and out on hand, and the change of the reserved quantity). Read from the movements themselves through
    /// <c>mart.stock_movements</c>: always current, so no freshness entries.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range: a page, a transaction type that is not one of
    /// <see cref="StockMovementQuery.Types"/>, a date outside 2000-01-01..2100-12-31, <see cref="StockMovementQuery.From"/> after
    /// <see cref="StockMovementQuery.To"/>, a <see cref="StockMovementQuery.Sku"/> that is not one of the merchant's products, an
    /// <see cref="StockMovementQuery.OrderNo"/> that is not one of its orders, or a <see cref="StockMovementQuery.Warehouse"/> that
    /// none of its positions or movements has.</exception>
    public Task<QueryResult<StockMovementReport>> StockMovementsAsync(StockMovementQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        var types = query.TransactionTypes is { Count: > 0 } asked ? asked.Distinct(StringComparer.Ordinal).ToArray() : null;
        if (types?.FirstOrDefault(t => !StockMovementQuery.Types.Contains(t, StringComparer.Ordinal)) is { } unknown)
        {
            throw new QueryValidationException("type", $"'{unknown}' is not a transaction type; use {string.Join(", ", StockMovementQuery.Types)}.");
        }
        if (query.From is { } from)
        {
            Period.InRange("from", from);
        }
        if (query.To is { } to)
        {
            Period.InRange("to", to);
        }
        if (query.From > query.To)
        {
            throw new QueryValidationException("from", $"The first day {query.From:yyyy-MM-dd} is after the last day {query.To:yyyy-MM-dd}.");
        }
        var parameters = new
        {
            sku = query.Sku,
            warehouse = query.Warehouse,
            types,
            order_no = query.OrderNo,
            from = query.From is { } f ? Sql.Date(f) : (DateTime?)null,
            to = query.To is { } t ? Sql.Date(t) : (DateTime?)null,
            limit = paging.PageSize,
            offset = paging.Offset,
        };
        return MerchantScope.QueryAsync(database, query.MerchantId, StockMovementSql.Report, parameters, StockMovementSql.Views, async grid =>
        {
            var known = await grid.ReadSingleAsync<FiltersKnown>();
            if (!known.SkuKnown)
            {
                throw new QueryValidationException("sku", $"{query.Sku} is not a SKU of merchant {query.MerchantId}.");
            }
            if (!known.OrderKnown)
            {
                throw new QueryValidationException("orderNo", $"{query.OrderNo} is not an order number of merchant {query.MerchantId}.");
            }
            if (known.KnownWarehouses is { } warehouses)
            {
                throw new QueryValidationException("warehouse", $"{query.Warehouse} is not a warehouse of merchant {query.MerchantId}; "
                    + (warehouses.Length == 0 ? "it has no stock positions yet." : $"its warehouses: {warehouses}."));
            }
            var totals = await grid.ReadSingleAsync<StockMovementTotals>();
            var rows = (await grid.ReadAsync<StockMovementRow>()).ToList();
            return new StockMovementReport(query, totals, new PagedResult<StockMovementRow>(rows, totals.Count, paging.Page, paging.PageSize));
        }, cancellationToken);
    }

    /// <summary>Whether the SKU and order number filters name the merchant's (true when not asked); the merchant's warehouse codes
    /// when the warehouse filter names none of them, else null.</summary>
    private sealed record FiltersKnown(bool SkuKnown, bool OrderKnown, string? KnownWarehouses);
}

using Erp.Db.Queries.Receipts;

namespace Erp.Db.Queries;

/// <summary>The payment receipts query of <see cref="WarehouseQueries"/>.</summary>
public sealed partial class WarehouseQueries
{
    /// <summary>
    /// The merchant's payment receipts, newest first, with the invoice and order number each was paid to, or none (an
    /// unapplied receipt), and what became of each (<see cref="ReceiptRow.Application"/>), and totals over every matching
    /// receipt: count and CNY, and of them the applied, the unapplied (with the credits on cancelled receivables) and the
    /// refunded ones. Read from the receipts themselves through <c>mart.receipts</c>: always current, so no freshness entries.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range: a page, a date outside 2000-01-01..2100-12-31,
    /// <see cref="ReceiptQuery.From"/> after <see cref="ReceiptQuery.To"/>, or a <see cref="ReceiptQuery.From"/> after today in every time zone.</exception>
    public Task<QueryResult<ReceiptReport>> ReceiptsAsync(ReceiptQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        if (query.From is { } from)
        {
            Period.InRange("from", from);
            // A list that starts after today everywhere has nothing in it yet: most likely a mistyped year.
            Period.ThrowIfNotBegun(from, "from");
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
            unapplied = query.UnappliedOnly,
            from = query.From is { } f ? Sql.Date(f) : (DateTime?)null,
            to = query.To is { } t ? Sql.Date(t) : (DateTime?)null,
            limit = paging.PageSize,
            offset = paging.Offset,
        };
        return MerchantScope.QueryAsync(database, query.MerchantId, ReceiptSql.Report, parameters, ReceiptSql.Views, async grid =>
        {
            var totals = await grid.ReadSingleAsync<ReceiptTotals>();
            var rows = (await grid.ReadAsync<ReceiptRow>()).ToList();
            return new ReceiptReport(query.UnappliedOnly, query.From, query.To, totals,
                new PagedResult<ReceiptRow>(rows, totals.Count, paging.Page, paging.PageSize));
        }, cancellationToken);
    }
}

using Erp.Db.Queries.Shops;

namespace Erp.Db.Queries;

/// <summary>The shop query of <see cref="WarehouseQueries"/>.</summary>
public sealed partial class WarehouseQueries
{
    /// <summary>
    /// The merchant's shops in one day, ISO week or month: health score 0-100 with its components (raw value,
    /// score, weight) and the ranks by health, revenue and gross profit, sorted by one rank and paged.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range, or the period of <see cref="ShopQuery.Date"/> starts after today in every time zone.</exception>
    public async Task<QueryResult<ShopReport>> ShopsAsync(ShopQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        ThrowIfUndefined("period", query.Period);
        ThrowIfUndefined("sortBy", query.SortBy);
        // A date given is checked before connecting; without one, the day is the warehouse's today on the query's connection.
        var given = query.Date is { } date ? Bounds(query.Period, date) : ((DateOnly Start, DateOnly End)?)null;
        await using var connection = await MerchantScope.OpenAsync(database, query.MerchantId, cancellationToken);
        var (start, end) = given ?? Bounds(query.Period, connection.Today);
        var kind = query.Period.ToString().ToLowerInvariant();
        var parameters = new { period_type = kind, period_start = Sql.Date(start), limit = paging.PageSize, offset = paging.Offset };
        return await MerchantScope.QueryAsync(connection, query.MerchantId, ShopSql.Page(query.SortBy), parameters, ShopSql.Views, async grid =>
        {
            var items = (await grid.ReadAsync<ShopHealthRecord>()).Select(r => r.ToRow()).ToList();
            var totals = await grid.ReadSingleAsync<ShopTotalsRecord>();
            return new ShopReport(kind, start, end, new PagedResult<ShopHealthRow>(items, totals.Total, paging.Page, paging.PageSize))
            {
                ComparedTo = totals.ComparedTo(),
            };
        }, cache: null, check: null, cancellationToken);
    }

    /// <summary>
    /// The first and last day of the day, week or month of <paramref name="day"/>. One that has not begun has no results yet:
    /// refused, not answered with an empty list.
    /// </summary>
    private static (DateOnly Start, DateOnly End) Bounds(ShopPeriod period, DateOnly day)
    {
        var (start, end) = ShopSql.Bounds(period, Period.InRange("date", day));
        Period.ThrowIfNotBegun(start, "date");
        return (start, end);
    }
}

using System.Globalization;
using System.Text.Json;
using Dapper;
using Erp.Db.Queries.Alerts;
using Erp.Db.Queries.Campaigns;
using Erp.Db.Queries.Customers;
using Erp.Db.Queries.Finance;
using Erp.Db.Queries.Inventory;
using Erp.Db.Queries.Products;
using Erp.Db.Queries.Receivables;
using Erp.Db.Queries.Reports;
using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Targets;
using Erp.Db.Queries.Trends;
using Npgsql;

namespace Erp.Db.Queries;

/// <summary>
/// Typed queries over the warehouse's materialized views, for one merchant at a time. Every value
/// is a parameter, sort keys come from closed lists, page sizes are capped, and the merchant scope
/// is enforced by the database's reader views. Each result carries the freshness of what it read.
/// A login the marts are not granted to (one not in <c>erp_reader</c>, say a writer's), a login the server refuses and a database
/// that does not exist fail every query with a <see cref="WarehouseAccessException"/>.
/// </summary>
public sealed partial class WarehouseQueries
{
    private readonly ErpDatabase database;

    internal WarehouseQueries(ErpDatabase database)
    {
        this.database = database;
        Cache = database.Options.ResultCacheRows > 0 ? new ResultCache(database.Options.ResultCacheRows) : null;
    }

    /// <summary>The result cache of the queries over refreshed views (docs/result-cache.md); null when <see cref="ErpDbOptions.ResultCacheRows"/> is 0.</summary>
    internal ResultCache? Cache { get; }

    /// <summary>
    /// The merchants this login sees or may name, by id: every one for the owner and writers, else those granted to it
    /// (<c>ops.readable_merchants()</c>; a login granted several sees none of their rows before it names one).
    /// </summary>
    public Task<IReadOnlyList<Merchant>> MerchantsAsync(CancellationToken cancellationToken = default) => MerchantListAsync(
        "SELECT merchant_id, merchant_code, merchant_name FROM dw.dim_merchants UNION SELECT merchant_id, merchant_code, merchant_name FROM ops.readable_merchants() ORDER BY merchant_id",
        cancellationToken);

    /// <summary>
    /// The merchants this login may read through the reader views (<c>ops.readable_merchants()</c>): every one for the
    /// owner and a grant of any merchant, else those <c>ops.merchant_access</c> grants it. Unlike
    /// <see cref="MerchantsAsync"/>, a login in erp_writer too is not listed every merchant whose row it sees: the grant
    /// decides what the queries answer, so this is the list to choose a merchant to query from.
    /// </summary>
    public Task<IReadOnlyList<Merchant>> ReadableMerchantsAsync(CancellationToken cancellationToken = default) => MerchantListAsync(
        "SELECT merchant_id, merchant_code, merchant_name FROM ops.readable_merchants() ORDER BY merchant_id", cancellationToken);

    private async Task<IReadOnlyList<Merchant>> MerchantListAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await WarehouseErrors.OpenAsync(database.ReadDataSource, RequiredRole.Reader, cancellationToken);
        var rows = await ReplannedRead.RunAsync(database.Options, () => connection.QueryAsync<(long Id, string Code, string Name)>(new CommandDefinition(
            sql, commandTimeout: MerchantScope.ClientTimeout(database.Options), cancellationToken: cancellationToken)));
        return [.. rows.Select(r => new Merchant(r.Id, r.Code, r.Name))];
    }

    /// <summary>
    /// Every registered view this login may read, with its freshness (<c>ops.view_freshness()</c>): last
    /// refresh, age, stale, failing and, except for a login limited to particular merchants, pending changes.
    /// Readers may call it; the full health (rows, durations, errors) is <see cref="Refresh.ViewRefresher.GetStatusAsync"/>, for writers and the owner.
    /// </summary>
    public async Task<IReadOnlyList<ViewFreshness>> FreshnessAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await WarehouseErrors.OpenAsync(database.ReadDataSource, RequiredRole.Reader, cancellationToken);
        var rows = await ReplannedRead.RunAsync(database.Options, () => connection.QueryAsync<(string View, DateTime? LastRefreshAt, double? AgeSeconds, bool? IsStale, bool? IsDirty, bool? IsFailing)>(new CommandDefinition(
            "SELECT view_name, last_refresh_at, extract(epoch FROM age)::float8, is_stale, is_dirty, is_failing FROM ops.view_freshness() ORDER BY view_name",
            commandTimeout: MerchantScope.ClientTimeout(database.Options), cancellationToken: cancellationToken)));
        return [.. rows.Select(r => ViewFreshness.FromRow(r.View, r.LastRefreshAt, r.AgeSeconds, r.IsStale, r.IsDirty, r.IsFailing))];
    }

    /// <summary>
    /// A check that each platform code is known to dw.dim_platforms (a code no platform has would filter every row away
    /// and answer zeros in silence), run by <see cref="MerchantScope"/> on the query's connection; null when there are none.
    /// </summary>
    private Func<NpgsqlConnection, CancellationToken, Task>? KnownPlatforms(string field, string[] codes) => codes.Length == 0 ? null
        : async (connection, cancellationToken) =>
        {
            var known = (await connection.QueryAsync<string>(new CommandDefinition("SELECT platform_code FROM dw.dim_platforms ORDER BY platform_code",
                commandTimeout: MerchantScope.ClientTimeout(database.Options), cancellationToken: cancellationToken))).ToList();
            if (codes.FirstOrDefault(c => !known.Contains(c)) is { } unknown)
            {
                throw new QueryValidationException(field, $"'{unknown}' is not a platform. Known: {string.Join(", ", known)}.");
            }
        };

    /// <summary>
    /// Reads a query's first result, why its category filter cannot be answered (<c>dw.category_filter_problem</c>: the id is
    /// not one of the merchant's categories, which would answer an empty list in silence), and refuses the query with it.
    /// </summary>
    private static async Task ThrowIfUnknownCategoryAsync(SqlMapper.GridReader grid)
    {
        if (await grid.ReadSingleAsync<string?>() is { } problem)
        {
            throw new QueryValidationException("categoryId", problem);
        }
    }

    /// <summary>
    /// Whether this login may read the merchant: <see cref="MerchantAccess.Forbidden"/> when it is not granted to
    /// the login (even when the login sees its row, as one in erp_writer does), the same whether it exists or not (a scoped reader learns nothing of other merchants);
    /// <see cref="MerchantAccess.NotFound"/> only for a login that may name any merchant. Checked under that
    /// merchant's scope: <c>ops.current_merchant_id()</c> is the merchant when the login may name it.
    /// </summary>
    public async Task<MerchantAccess> MerchantAccessAsync(long merchantId, CancellationToken cancellationToken = default)
    {
        var result = await MerchantScope.QueryAsync(database, merchantId,
            "SELECT EXISTS (SELECT 1 FROM dw.dim_merchants WHERE merchant_id = @id) AS found, (SELECT ops.current_merchant_id()) IS NOT NULL AS granted;",
            new { id = merchantId }, [], grid => grid.ReadSingleAsync<(bool Found, bool Granted)>(), cancellationToken);
        // The grant decides, not the row: a login in erp_writer too sees every merchant's dim_merchants row (the
        // writers' policy), yet the reader views filter by ops.current_merchant_id(), so an ungranted merchant
        // would answer zeros in silence.
        return result.Data switch
        {
            { Granted: false } => MerchantAccess.Forbidden,
            { Found: true } => MerchantAccess.Granted,
            _ => MerchantAccess.NotFound,
        };
    }

    /// <summary>A merchant's sales over a period: totals, growth against the previous period, a breakdown and the best sellers.</summary>
    /// <exception cref="QueryValidationException">A parameter is out of range, or the period starts after today.</exception>
    public async Task<QueryResult<SalesReport>> SalesAsync(SalesQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfUndefined("groupBy", query.GroupBy);
        if (query.TopProducts is < 0 or > 100)
        {
            throw new QueryValidationException("topProducts", $"topProducts must be between 0 and 100; got {query.TopProducts}.");
        }
        // A period that has not begun has no sales, and its "growth" against the one before would read -100%.
        query.Period.ThrowIfNotBegun("start");
        var platforms = (query.Platforms ?? []).Select(p => Sql.PlatformCode("platforms", p)!).ToArray();
        var byDay = query.GroupBy == SalesGrouping.Day;
        var sql = SalesSql.Report(query.GroupBy);
        // By category the names come from dw.dim_categories as they are now, not as of a refresh: not cached.
        await using var connection = await MerchantScope.OpenAsync(database, query.MerchantId, cancellationToken);
        var previous = query.ComparedTo ?? ComparedTo(query.Period, connection.Today);
        // A period that includes today compares its last day with today's counterpart up to now's time of day, to the minute
        // (sales_totals.sql): an answer that moves with the clock, not only with a refresh, so it is cached for its minute only
        // (a dashboard asking "the last 7 days" many times a minute still reads it once).
        var cut = query.Period.Start <= connection.Today && connection.Today <= query.Period.End;
        var cacheable = query.GroupBy == SalesGrouping.Category ? null
            : Cached<SalesReport>(cut ? string.Create(CultureInfo.InvariantCulture, $"sales cut at {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}") : "sales", query,
                r => r.Daily.Count + (byDay ? 0 : r.Breakdown.Count) + r.TopProducts.Count);
        var parameters = new
        {
            start = Sql.Date(query.Period.Start),
            end = Sql.Date(query.Period.End),
            previous_start = Sql.Date(previous.Start),
            previous_end = Sql.Date(previous.End),
            today = Sql.Date(connection.Today),
            cut,
            platforms,
            top = query.TopProducts,
            days = query.Period.Days,
            unit = SalesSql.Unit(query.GroupBy),
        };
        return await MerchantScope.QueryAsync(connection, query.MerchantId, sql, parameters, SalesSql.Views, async grid =>
        {
            var metrics = await grid.ReadSingleAsync<SalesMetrics>();
            var daily = (await grid.ReadAsync<SalesRow>()).ToList();
            var breakdown = byDay ? daily : (await grid.ReadAsync<SalesRow>()).ToList();
            var top = (await grid.ReadAsync<TopProduct>()).ToList();
            return new SalesReport
            {
                Period = new PeriodInfo(query.Period.Start, query.Period.End, query.Period.Days),
                ComparedTo = new PeriodInfo(previous.Start, previous.End, previous.Days) { Through = metrics.PreviousThrough },
                Metrics = metrics,
                Daily = daily,
                Breakdown = breakdown,
                TopProducts = top,
                LastBucketComplete = LastBucketComplete(query.Period, query.GroupBy, connection.Today),
            };
        }, cacheable, KnownPlatforms("platforms", platforms), cancellationToken);
    }

    /// <summary>
    /// What sales' growth compares <paramref name="period"/> with: the period of the same length just before; for a period that ends
    /// after <paramref name="today"/>, only as many of its first days as the period has up to today (today included), so that the
    /// days with data are set against as many days, never a few days against a whole period (docs/assistants.md, "Periods").
    /// </summary>
    internal static Period ComparedTo(Period period, DateOnly today)
    {
        var before = period.Previous();
        if (period.End <= today)
        {
            return before;
        }
        // A period starting after the database's today (begun only in time zones ahead of it) compares its first day.
        var elapsed = Math.Max(1, today.DayNumber - period.Start.DayNumber + 1);
        return new Period(before.Start, before.Start.AddDays(elapsed - 1));
    }

    /// <summary>
    /// The product list: each platform listing's latest day of the last 90, filtered, sorted from a closed list and paged. A listing
    /// is a product's daily figures on a shop (<see cref="Ingest.Ingestor.UpsertProductMetricsAsync(IEnumerable{Ingest.ProductMetricRow}, CancellationToken)"/>,
    /// <c>erpdb import product-metrics</c>): a product that only sells through orders, with no such figures, is not listed here (its
    /// sales are in <see cref="SalesAsync"/> by product).
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range.</exception>
    public async Task<QueryResult<PagedResult<ProductRow>>> ProductsAsync(ProductQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        ThrowIfUndefined("sortBy", query.SortBy);
        ThrowIfUndefined("direction", query.Direction);
        if (query.MinPrice is < 0 || query.MaxPrice is < 0 || query.MinPrice > query.MaxPrice)
        {
            throw new QueryValidationException("minPrice", $"The price range {query.MinPrice}..{query.MaxPrice} is not valid: prices are >= 0 and min <= max.");
        }
        if (query.Keyword is { Length: > 100 })
        {
            throw new QueryValidationException("keyword", "keyword may be at most 100 characters.");
        }
        var platform = Sql.PlatformCode("platform", query.Platform);
        var parameters = new
        {
            platform,
            category_id = query.CategoryId,
            status = ListingStatus(query.Status),
            stock_status = StockStatus(query.StockStatus),
            min_price = query.MinPrice,
            max_price = query.MaxPrice,
            keyword = Sql.Text("keyword", query.Keyword) is { } keyword && !string.IsNullOrWhiteSpace(keyword) ? Sql.Contains(keyword.Trim()) : null,
            limit = paging.PageSize,
            offset = paging.Offset,
        };
        return await MerchantScope.QueryAsync(database, query.MerchantId, ProductSql.Page(query.SortBy, query.Direction), parameters, ProductSql.Views, async grid =>
        {
            await ThrowIfUnknownCategoryAsync(grid);
            var items = (await grid.ReadAsync<ProductRow>()).ToList();
            var total = await grid.ReadSingleAsync<long>();
            return new PagedResult<ProductRow>(items, total, paging.Page, paging.PageSize);
        }, Cached<PagedResult<ProductRow>>("products", query, r => r.Items.Count), KnownPlatforms("platform", platform is null ? [] : [platform]), cancellationToken);
    }

    /// <summary>
    /// The customer query: counts per segment, the customers who ordered in the active period (counted from the orders,
    /// so not cached) and a sorted list of one segment's customers.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range.</exception>
    public async Task<QueryResult<CustomerReport>> CustomersAsync(CustomerQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfUndefined("sortBy", query.SortBy);
        ThrowIfUndefined("segment", query.Segment);
        if (query.Limit < 1 || query.Limit > database.Options.MaxPageSize)
        {
            throw new QueryValidationException("limit", $"limit must be between 1 and {database.Options.MaxPageSize}; got {query.Limit}.");
        }
        if (query.PeriodDays is < 1 or > 3660)
        {
            throw new QueryValidationException("period", $"period must be between 1 and 3660 days; got {query.PeriodDays}.");
        }
        await using var connection = await MerchantScope.OpenAsync(database, query.MerchantId, cancellationToken);
        var active = query.ActivePeriod ?? Period.LastDays(query.PeriodDays, connection.Today);
        var parameters = new
        {
            segment = query.Segment == CustomerSegment.All ? null : SnakeCase(query.Segment.ToString()),
            limit = query.Limit,
            start = Sql.Date(active.Start),
            end = Sql.Date(active.End),
        };
        return await MerchantScope.QueryAsync(connection, query.MerchantId, CustomerSql.Report(query.SortBy), parameters, CustomerSql.Views, async grid =>
        {
            var summary = await grid.ReadSingleAsync<CustomerSummary>();
            var found = (await grid.ReadAsync<(string Segment, long Count, decimal Revenue, decimal AverageRevenue)>())
                .ToDictionary(s => s.Segment, s => new SegmentFigures { Count = s.Count, Revenue = s.Revenue, AverageRevenue = s.AverageRevenue });
            // Every segment, an empty one with zeros: a reader of the JSON finds segments.repeat whether or not anyone is in it.
            var segments = Enum.GetValues<CustomerSegment>().Where(s => s != CustomerSegment.All).Select(s => SnakeCase(s.ToString()))
                .ToDictionary(s => s, s => found.GetValueOrDefault(s) ?? new SegmentFigures());
            var customers = (await grid.ReadAsync<CustomerRow>()).ToList();
            return new CustomerReport(summary, segments, customers);
        }, cache: null, check: null, cancellationToken);
    }

    /// <summary>The inventory query: stock totals and a page of products by stock status.</summary>
    /// <exception cref="QueryValidationException">A parameter is out of range.</exception>
    public Task<QueryResult<InventoryReport>> InventoryAsync(InventoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        if (query.Threshold is < 0 or > 1_000_000)
        {
            throw new QueryValidationException("threshold", $"threshold must be between 0 and 1000000; got {query.Threshold}.");
        }
        if (query.OverstockDays is < 1 or > 3660)
        {
            throw new QueryValidationException("overstockDays", $"overstockDays must be between 1 and 3660; got {query.OverstockDays}.");
        }
        ThrowIfUndefined("status", query.Status);
        ThrowIfUndefined("sortBy", query.SortBy);
        var parameters = new
        {
            threshold = query.Threshold,
            overstock_days = query.OverstockDays,
            category_id = query.CategoryId,
            sku = query.Sku,
            status = query.Status == StockFilter.All ? null : query.Status.ToString().ToLowerInvariant(),
            limit = paging.PageSize,
            offset = paging.Offset,
        };
        return MerchantScope.QueryAsync(database, query.MerchantId, InventorySql.Report(query.SortBy), parameters, InventorySql.Views, async grid =>
        {
            await ThrowIfUnknownCategoryAsync(grid);
            if (await grid.ReadSingleAsync<string?>() is { } skuProblem)
            {
                throw new QueryValidationException("sku", skuProblem);
            }
            var summary = await grid.ReadSingleAsync<InventorySummary>();
            var items = (await grid.ReadAsync<StockPositionRow>()).ToList();
            var total = query.Status switch
            {
                StockFilter.Low => summary.LowStockProducts,
                StockFilter.Out => summary.OutOfStockProducts,
                StockFilter.Overstock => summary.OverstockProducts,
                _ => summary.TotalProducts,
            };
            return new InventoryReport(summary, new PagedResult<StockPositionRow>(items, total, paging.Page, paging.PageSize));
        }, Cached<InventoryReport>("inventory", query, r => r.Products.Items.Count), cancellationToken);
    }

    /// <summary>
    /// The trend query: revenue, orders and profit per day, week or month, each bucket marked complete or
    /// not, the direction over the complete buckets and, when asked for, a forecast (<see cref="TrendForecast"/>).
    /// </summary>
    /// <exception cref="QueryValidationException">The forecast is out of range or has too few complete buckets to fit.</exception>
    public async Task<QueryResult<TrendReport>> TrendsAsync(TrendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfUndefined("granularity", query.Grain);
        var maxForecast = TrendQuery.MaxForecast(query.Grain);
        if (query.Forecast < 0 || query.Forecast > maxForecast)
        {
            throw new QueryValidationException("forecast", $"forecast must be between 0 and {maxForecast} {query.Grain.ToString().ToLowerInvariant()}s; got {query.Forecast}.");
        }
        var parameters = new { start = Sql.Date(query.Period.Start), end = Sql.Date(query.Period.End), unit = TrendSql.Unit(query.Grain) };
        await using var connection = await MerchantScope.OpenAsync(database, query.MerchantId, cancellationToken);
        var today = query.Today ?? connection.Today;
        return await MerchantScope.QueryAsync(connection, query.MerchantId, TrendSql.Series, parameters, TrendSql.Views, async grid =>
        {
            var rows = (await grid.ReadAsync<TrendSql.Row>()).ToList();
            var whole = rows.Select(r => TrendBuckets.IsComplete(query.Grain, r.Bucket, query.Period, today)).ToList();
            var series = rows.Select((r, i) => r.Point(whole[i], i > 0 && whole[i - 1])).ToList();
            var buckets = TrendBuckets.All(query.Grain, query.Period);
            // The SQL fills in every bucket the period touches (empty ones at 0), so point i is bucket i, each once.
            if (!series.Select(p => p.Bucket).SequenceEqual(buckets))
            {
                throw new InvalidOperationException($"trends.sql returned {series.Count} buckets where the period has {buckets.Count}.");
            }
            // Complete buckets with their index among all buckets, from the first with sales: an empty bucket after it is a real 0,
            // one before it is a time the merchant had no sales history yet (counted as 0, a wider period turned a falling series "up").
            var complete = series.Select((p, i) => (Index: i, p.Bucket, Point: p))
                .Where(c => c.Point.Complete)
                .SkipWhile(c => !rows[c.Index].HasOrders)
                .ToList();
            var half = complete.Count / 2;
            var first = complete.Take(half).Sum(p => p.Point.Revenue);
            var second = complete.Skip(complete.Count - half).Sum(p => p.Point.Revenue);
            var change = Rate.Of(second - first, first);
            var direction = change switch { > 0.05m => "up", < -0.05m => "down", _ => "flat" };
            TrendForecast? model = null;
            if (query.Forecast > 0)
            {
                var (points, fitted) = TrendForecaster.Forecast(query.Grain, complete, buckets.Count, TrendBuckets.Next(query.Grain, buckets[^1]), query.Forecast);
                series.AddRange(points);
                model = fitted;
            }
            return new TrendReport(new PeriodInfo(query.Period.Start, query.Period.End, query.Period.Days), query.Grain, series, direction, change)
            {
                LastBucketComplete = TrendBuckets.IsComplete(query.Grain, buckets[^1], query.Period, today),
                Forecast = model,
            };
        }, Cached<TrendReport>("trends", query, r => r.Series.Count), check: null, cancellationToken);
    }

    /// <summary>
    /// Receivables, receipts, expenses and profit over exactly the days of a period, per calendar month (a month the
    /// period cuts counts only its days in it) and in total; the totals' outstanding and overdue are as of today over
    /// every receivable, independent of the period.
    /// </summary>
    public Task<QueryResult<FinanceReport>> FinanceAsync(FinanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new { start = Sql.Date(query.Period.Start), end = Sql.Date(query.Period.End) };
        return MerchantScope.QueryAsync(database, query.MerchantId, FinanceSql.Report, parameters, FinanceSql.Views, async grid =>
        {
            var months = (await grid.ReadAsync<FinanceMonth>()).ToList();
            var totals = await grid.ReadSingleAsync<FinanceMonth>();
            var owed = await grid.ReadSingleAsync<OwedRow>();
            return new FinanceReport(totals with { Outstanding = owed.Outstanding, Overdue = owed.Overdue, OverdueCount = owed.OverdueCount }, months)
            {
                From = query.Period.Start,
                To = query.Period.End,
                AsOf = owed.AsOf,
            };
        }, cancellationToken);
    }

    /// <summary>
    /// A product's stock status filter as dw.stock_status names it, in any case; low and out are the names erpdb inventory uses for
    /// the same statuses. Anything else is a <see cref="QueryValidationException"/>, not a filter that silently matches nothing.
    /// </summary>
    private static string? StockStatus(string? value) => Sql.Text("stockStatus", value)?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "low" or "low_stock" => "low_stock",
        "out" or "out_of_stock" => "out_of_stock",
        "normal" => "normal",
        "untracked" => "untracked",
        _ => throw new QueryValidationException("stockStatus", $"'{value}' is not a stock status: normal, low_stock (low), out_of_stock (out) or untracked."),
    };

    /// <summary>The statuses a listing may have: those dw.fact_product_metrics allows (its CHECK fact_product_metrics_listing_status_known).</summary>
    internal static readonly string[] ListingStatuses = ["active", "inactive", "out_of_stock", "banned", "deleted"];

    /// <summary>
    /// A listing status filter, in any case. Anything else is a <see cref="QueryValidationException"/>, not a filter that silently
    /// matches nothing (as a platform or a stock status).
    /// </summary>
    private static string? ListingStatus(string? value) => Sql.Text("status", value)?.Trim().ToLowerInvariant() switch
    {
        null => null,
        var status when ListingStatuses.Contains(status) => status,
        _ => throw new QueryValidationException("status", $"'{value}' is not a listing status: {string.Join(", ", ListingStatuses)}."),
    };

    /// <summary>
    /// A daily, weekly or monthly business report: sales, best sellers, stock, customers and finance, as of <see cref="ReportQuery.AsOf"/>
    /// or, when it is null, the warehouse's today (<see cref="ErpDatabase.TodayAsync"/>).
    /// </summary>
    /// <exception cref="QueryValidationException">The date is after the as-of day, or a parameter is out of range.</exception>
    public async Task<QueryResult<BusinessReport>> ReportAsync(ReportQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = query with { AsOf = query.AsOf ?? await database.TodayAsync(cancellationToken) };
        var period = query.Period;
        var sales = await SalesAsync(new SalesQuery { MerchantId = query.MerchantId, Period = period, GroupBy = SalesGrouping.Day, TopProducts = 5, ComparedTo = query.ComparedTo }, cancellationToken);
        var inventory = await InventoryAsync(new InventoryQuery { MerchantId = query.MerchantId, Paging = new Paging(1, 1) }, cancellationToken);
        var customers = await CustomersAsync(new CustomerQuery { MerchantId = query.MerchantId, Limit = 1, ActivePeriod = period }, cancellationToken);
        var finance = await FinanceAsync(new FinanceQuery { MerchantId = query.MerchantId, Period = period }, cancellationToken);
        var totals = finance.Data.Totals;
        IReadOnlyList<ViewFreshness> owed = [];
        // A period over before today: what was owed at its end (as receivables --as-of counts it), not what is owed today.
        if (period.End < finance.Data.AsOf)
        {
            var receivables = await ReceivablesAsync(new ReceivableQuery { MerchantId = query.MerchantId, AsOf = period.End, Paging = new Paging(1, 1) }, cancellationToken);
            totals = totals with
            {
                Outstanding = receivables.Data.Totals.OutstandingCny,
                Overdue = receivables.Data.Totals.OverdueCny,
                OverdueCount = receivables.Data.Totals.OverdueCount,
            };
            owed = receivables.Freshness;
        }
        var report = new BusinessReport(query.Type, sales.Data.Period, sales.Data.Metrics, sales.Data.TopProducts,
            inventory.Data.Summary, customers.Data.Summary, totals)
        {
            Complete = query.Complete,
            ComparedTo = sales.Data.ComparedTo,
        };
        // One entry per view (QueryResult.Freshness), though sales, finance and the receivables read some of the same.
        return new QueryResult<BusinessReport>(report,
            [.. new[] { sales.Freshness, inventory.Freshness, customers.Freshness, finance.Freshness, owed }.SelectMany(f => f).DistinctBy(f => f.View)])
        {
            AsOf = query.AsOf.Value,
        };
    }

    /// <summary>
    /// The receivables one by one: invoice and order number, shop, amounts, due date, days overdue and
    /// aging bucket as of today or <see cref="ReceivableQuery.AsOf"/> (<c>dw.receivable_aging_bucket</c>), most overdue first, then the largest
    /// (or the largest first: <see cref="ReceivableQuery.SortBy"/>);
    /// totals and, when asked for, the aging summary over every matching receivable. Read from the facts:
    /// always current, so no freshness entries.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range: a page, or an <see cref="ReceivableQuery.AsOf"/> outside
    /// 2000-01-01..2100-12-31, the range of every date a query takes.</exception>
    public Task<QueryResult<ReceivableReport>> ReceivablesAsync(ReceivableQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        var parameters = new
        {
            asof = query.AsOf is { } day ? Sql.Date(Period.InRange("asOf", day)) : (DateTime?)null,
            status = ReceivableSql.Status(query.Status),
            sort = ReceivableSql.Sort(query.SortBy),
            aging = query.Aging,
            limit = paging.PageSize,
            offset = paging.Offset,
        };
        return MerchantScope.QueryAsync(database, query.MerchantId, ReceivableSql.Report, parameters, ReceivableSql.Views, async grid =>
        {
            // Into a record: read as a lone DateOnly, Dapper maps the row onto a DateOnly's (absent) properties and returns 0001-01-01.
            var asOf = (await grid.ReadSingleAsync<AsOfRow>()).AsOf;
            var totals = await grid.ReadSingleAsync<ReceivableTotals>();
            var rows = (await grid.ReadAsync<ReceivableRow>()).ToList();
            var aging = (await grid.ReadAsync<AgingBucket>()).ToList();
            return new ReceivableReport(asOf, query.Status, totals, new PagedResult<ReceivableRow>(rows, totals.Listed, paging.Page, paging.PageSize),
                query.Aging ? aging : null);
        }, cancellationToken);
    }

    /// <summary>
    /// The merchant's alerts (low stock, out of stock, stock shortage, overdue receivable), open first,
    /// then the newest, with the counts per kind. Read from the alerts table: always current, so no freshness entries.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range, or a kind is not one of <see cref="AlertQuery.Kinds"/>.</exception>
    public Task<QueryResult<AlertReport>> AlertsAsync(AlertQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        var kinds = query.OnlyKinds is { Count: > 0 } asked ? asked.Distinct(StringComparer.Ordinal).ToArray() : null;
        if (kinds?.FirstOrDefault(k => !AlertQuery.Kinds.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            throw new QueryValidationException("kind", $"'{unknown}' is not an alert kind; use {string.Join(", ", AlertQuery.Kinds)}.");
        }
        var parameters = new { open = query.OpenOnly, kinds, limit = paging.PageSize, offset = paging.Offset };
        return MerchantScope.QueryAsync(database, query.MerchantId, AlertSql.Report, parameters, AlertSql.Views, async grid =>
        {
            var (total, open) = await grid.ReadSingleAsync<(long Total, long Open)>();
            var rows = (await grid.ReadAsync<AlertRecord>())
                .Select(a => new AlertRow(a.AlertId, a.Kind, a.Subject, a.MerchantId, Utc(a.RaisedAt), a.ResolvedAt is { } resolved ? Utc(resolved) : null,
                    JsonDocument.Parse(a.Details).RootElement.Clone()))
                .ToList();
            var byKind = (await grid.ReadAsync<AlertKindCount>()).ToList();
            return new AlertReport(total, open, new PagedResult<AlertRow>(rows, total, paging.Page, paging.PageSize)) { ByKind = byKind };
        }, cancellationToken);
    }

    /// <summary>
    /// The merchant's sales targets with actual value, achievement rate, elapsed share and status (the
    /// C-class results recomputed after each due refresh); freshness is that of the views they are computed from.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range.</exception>
    public Task<QueryResult<PagedResult<TargetRow>>> TargetsAsync(TargetQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        var parameters = new { limit = paging.PageSize, offset = paging.Offset };
        return MerchantScope.QueryAsync(database, query.MerchantId, TargetSql.Page, parameters, TargetSql.Views, async grid =>
        {
            var rows = (await grid.ReadAsync<TargetRow>()).ToList();
            var total = await grid.ReadSingleAsync<long>();
            return new PagedResult<TargetRow>(rows, total, paging.Page, paging.PageSize);
        }, cancellationToken);
    }

    /// <summary>
    /// The merchant's campaigns with GMV against target, budget, gross profit and ROI (the C-class results
    /// recomputed after each due refresh); freshness is that of the view they are computed from.
    /// </summary>
    /// <exception cref="QueryValidationException">A parameter is out of range.</exception>
    public Task<QueryResult<CampaignReport>> CampaignsAsync(CampaignQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var paging = query.Paging.Validated(database.Options.MaxPageSize);
        var parameters = new { limit = paging.PageSize, offset = paging.Offset };
        return MerchantScope.QueryAsync(database, query.MerchantId, CampaignSql.Report, parameters, CampaignSql.Views, async grid =>
        {
            var totals = await grid.ReadSingleAsync<CampaignTotals>();
            var rows = (await grid.ReadAsync<CampaignRow>()).ToList();
            return new CampaignReport(totals, new PagedResult<CampaignRow>(rows, totals.Count, paging.Page, paging.PageSize));
        }, cancellationToken);
    }

    /// <summary>
    /// Whether the last bucket of a sales breakdown is complete: the last day, week or month lies inside the
    /// period and before <paramref name="today"/>; for the other groupings (the period is the one bucket) the period ends before today.
    /// </summary>
    private static bool LastBucketComplete(Period period, SalesGrouping grouping, DateOnly today)
    {
        Granularity? granularity = grouping switch
        {
            SalesGrouping.Day => Granularity.Day,
            SalesGrouping.Week => Granularity.Week,
            SalesGrouping.Month => Granularity.Month,
            _ => null,
        };
        return granularity is { } g
            ? TrendBuckets.IsComplete(g, TrendBuckets.Start(g, period.End), period, today)
            : period.End < today;
    }

    /// <summary>
    /// How a query over refreshed views is cached: under its kind and its query object as JSON (every value that
    /// shapes the result: filters, period, paging, sort, forecast, as-of day); the merchant and the version are
    /// added by <see cref="MerchantScope"/>. Null when the cache is off.
    /// </summary>
    private MerchantScope.Cacheable<T>? Cached<T>(string kind, object query, Func<T, int> rows) =>
        Cache is null ? null : new(kind + "\n" + JsonSerializer.Serialize(query, query.GetType(), KeyJson), rows);

    private static readonly JsonSerializerOptions KeyJson = new() { IncludeFields = true };

    /// <summary>
    /// Refuses a value that is none of <typeparamref name="TEnum"/>'s members (an int bound from a request), which the closed
    /// lists of sort orders and groupings would otherwise answer as another member, or a segment with nothing. The members are
    /// named as the CLI and JSON spell them: "grain must be day, week or month; got 7."
    /// </summary>
    private static void ThrowIfUndefined<TEnum>(string field, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            var names = Enum.GetNames<TEnum>().Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).ToList();
            throw new QueryValidationException(field, $"{field} must be {string.Join(", ", names[..^1])} or {names[^1]}; got {value}.");
        }
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

#pragma warning disable CA1812 // Dapper creates them.
    private sealed record AsOfRow
    {
        public DateOnly AsOf { get; init; }
    }

    private sealed record OwedRow
    {
        public DateOnly AsOf { get; init; }

        public decimal Outstanding { get; init; }

        public decimal Overdue { get; init; }

        public long OverdueCount { get; init; }
    }

    private sealed record AlertRecord(long AlertId, string Kind, string Subject, long MerchantId, DateTime RaisedAt, DateTime? ResolvedAt, string Details);
#pragma warning restore CA1812

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

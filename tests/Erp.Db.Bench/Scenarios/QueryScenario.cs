using Erp.Db.Queries;
using Erp.Db.Queries.Products;
using Erp.Db.Queries.Sales;
using Npgsql;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// query.dashboard and query.products: the library's sales (last 30 days) and product queries with
/// 8 concurrent callers, against (a) the same question answered from the facts (the naive
/// "before"), (b) the same SQL batch through plain Npgsql (the library's own overhead) and (c) the
/// floor: the shortest hand-written SQL answering the same question from the same materialized
/// views, filtered by <c>WHERE merchant_id = $1</c> (no scope, no reader views, no freshness).
/// The library is measured as users get it by default: with its result cache on (docs/result-cache.md),
/// whose hit ratio over the measured calls is reported (<c>.cacheHitRatio</c>); <c>.uncached.*</c> is the
/// same library with the cache off, every call a full batch (what a call costs after a refresh).
/// </summary>
internal sealed class QueryScenario : IScenario
{
    public const int Callers = 8;

    /// <summary>Calls per caller before the clock starts: Npgsql prepares a statement on its fifth use, so all sides are measured prepared.</summary>
    private const int WarmUps = 6;

    /// <summary>And warm-up rounds for at least this long, so that every side is measured at steady state (see <see cref="LatencyStats.MeasureAsync"/>).</summary>
    private static readonly TimeSpan WarmUpFor = TimeSpan.FromSeconds(1);

    public string Name => "query";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var seeded = await context.SeededAsync();
        // The library as an application builds it from its connection string (its query pool prepares what it runs often,
        // docs/prepared-queries.md); the plain-Npgsql comparisons and the floor get a pool with the same setting.
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = seeded.ConnectionString });
        await using var uncached = ErpDatabase.Create(new ErpDbOptions { ConnectionString = seeded.ConnectionString, ResultCacheRows = 0 });
        await using var plainSource = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(seeded.ConnectionString) { MaxAutoPrepare = ErpDatabase.PreparedQueries }.ConnectionString);
        // Calls per caller: with the result cache answering in about a millisecond, 200 calls per caller at full size measured less
        // than half a second per half, and a p99 over so short a window is made by one or two stalls of the machine.
        var iterations = context.Orders >= 200_000 ? 1_000 : 40;
        var results = new List<BenchResult>();

        var period = Period.LastDays(30, DateOnly.FromDateTime(DateTime.Today));
        var sales = new SalesQuery { MerchantId = seeded.MerchantId, Period = period };
        results.AddRange(await CompareAsync("query.dashboard", iterations,
            erp,
            () => erp.Queries.SalesAsync(sales, cancellationToken),
            () => uncached.Queries.SalesAsync(sales, cancellationToken),
            () => PlainAsync(plainSource, SalesSql.Report(SalesGrouping.Day), SalesSql.Views, SalesParameters(seeded.MerchantId, period)),
            () => PlainAsync(plainSource, QueryScenarioSql.DashboardFromFacts, [], SalesParameters(seeded.MerchantId, period)),
            () => PlainAsync(plainSource, QueryScenarioSql.DashboardFloor, [], SalesParameters(seeded.MerchantId, period))));

        var products = new ProductQuery { MerchantId = seeded.MerchantId, Platform = "shopee", SortBy = ProductSort.Revenue };
        results.AddRange(await CompareAsync("query.products", iterations,
            erp,
            () => erp.Queries.ProductsAsync(products, cancellationToken),
            () => uncached.Queries.ProductsAsync(products, cancellationToken),
            () => PlainAsync(plainSource, ProductSql.Page(ProductSort.Revenue, SortDirection.Descending), ProductSql.Views, ProductParameters(seeded.MerchantId)),
            () => PlainAsync(plainSource, QueryScenarioSql.ProductsFromFacts, [], ProductParameters(seeded.MerchantId)),
            () => PlainAsync(plainSource, QueryScenarioSql.ProductsFloor, [], ProductParameters(seeded.MerchantId))));
        return results;
    }

    private static async Task<IReadOnlyList<BenchResult>> CompareAsync(string name, int iterations, ErpDatabase erp, Func<Task> library, Func<Task> libraryUncached,
        Func<Task> plain, Func<Task> facts, Func<Task> floor)
    {
        // Answering from the facts takes seconds at full size: a few rounds give its median.
        var fromFacts = await LatencyStats.MeasureAsync(Callers, iterations >= 200 ? 2 : 5, facts);
        var viaNpgsql = await LatencyStats.MeasureAsync(Callers, iterations, plain, warmUps: WarmUps, warmUpFor: WarmUpFor);
        // The floor and the library alternate in two halves, so that a change of load on a shared
        // machine weighs on both alike.
        var floorRuns = new List<LatencyStats>();
        var libraryRuns = new List<LatencyStats>();
        var uncachedRuns = new List<LatencyStats>();
        var cache = erp.Queries.Cache;
        long hits = 0, misses = 0;
        for (var half = 0; half < 2; half++)
        {
            floorRuns.Add(await LatencyStats.MeasureAsync(Callers, iterations / 2, floor, warmUps: WarmUps, warmUpFor: WarmUpFor));
            var (hitsBefore, missesBefore) = (cache?.Hits ?? 0, cache?.Misses ?? 0);
            libraryRuns.Add(await LatencyStats.MeasureAsync(Callers, iterations / 2, library, warmUps: WarmUps, warmUpFor: WarmUpFor));
            hits += (cache?.Hits ?? 0) - hitsBefore;
            misses += (cache?.Misses ?? 0) - missesBefore;
            uncachedRuns.Add(await LatencyStats.MeasureAsync(Callers, iterations / 2, libraryUncached, warmUps: WarmUps, warmUpFor: WarmUpFor));
        }
        var atFloor = LatencyStats.Combine(floorRuns);
        var viaLibrary = LatencyStats.Combine(libraryRuns);
        var viaLibraryUncached = LatencyStats.Combine(uncachedRuns);
        const string Floor = "hand-written SQL over the same views, WHERE merchant_id = $1 (no scope, no freshness), same callers";
        return
        [
            BenchResult.Compare($"{name}.p50", viaLibrary.P50Ms, "ms", "same question from the facts, p50", fromFacts.P50Ms, "<= 0.02 (50x faster)")
                .WithFloor(Floor + ", p50", atFloor.P50Ms),
            BenchResult.Compare($"{name}.p99", viaLibrary.P99Ms, "ms", "same SQL via plain Npgsql, p99", viaNpgsql.P99Ms, "p99 < 10 ms")
                .WithFloor(Floor + ", p99", atFloor.P99Ms),
            BenchResult.Compare($"{name}.throughput", viaLibrary.PerSecond, "queries/s", "same SQL via plain Npgsql", viaNpgsql.PerSecond, "floorRatio >= 0.67")
                .WithFloor(Floor, atFloor.PerSecond),
            BenchResult.Compare($"{name}.cacheHitRatio", hits, "calls", "library calls measured (warm-ups included): ratio = hit ratio", hits + misses),
            BenchResult.Compare($"{name}.uncached.p99", viaLibraryUncached.P99Ms, "ms", "same SQL via plain Npgsql, p99", viaNpgsql.P99Ms)
                .WithFloor(Floor + ", p99", atFloor.P99Ms),
            BenchResult.Compare($"{name}.uncached.throughput", viaLibraryUncached.PerSecond, "queries/s", "same SQL via plain Npgsql", viaNpgsql.PerSecond)
                .WithFloor(Floor, atFloor.PerSecond),
        ];
    }

    /// <summary>Sends a batch exactly as the library does (scope, query, freshness) and reads every result.</summary>
    private static async Task PlainAsync(NpgsqlDataSource dataSource, string sql, string[] views, Dictionary<string, object> parameters)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(views.Length == 0 ? sql : MerchantScopeBatch(sql), connection) { CommandTimeout = 0 };
        foreach (var (key, value) in parameters)
        {
            command.Parameters.AddWithValue(key, value);
        }
        if (views.Length > 0)
        {
            command.Parameters.AddWithValue("erp_merchant", parameters["merchant"].ToString()!);
            command.Parameters.AddWithValue("erp_timeout", "30000");
            command.Parameters.AddWithValue("erp_views", views);
        }
        await using var reader = await command.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    _ = reader.GetValue(i);
                }
            }
        }
        while (await reader.NextResultAsync());
    }

    private static string MerchantScopeBatch(string sql) => Erp.Db.Queries.MerchantScope.Batch(sql);

    private static Dictionary<string, object> SalesParameters(long merchant, Period period)
    {
        var previous = period.Previous();
        // As the library sends them: a period that includes today cuts its comparison at now's time of day (sales_totals.sql).
        var today = DateOnly.FromDateTime(DateTime.Today);
        return new()
        {
            ["merchant"] = merchant,
            ["start"] = period.Start.ToDateTime(TimeOnly.MinValue),
            ["end"] = period.End.ToDateTime(TimeOnly.MinValue),
            ["previous_start"] = previous.Start.ToDateTime(TimeOnly.MinValue),
            ["previous_end"] = previous.End.ToDateTime(TimeOnly.MinValue),
            ["today"] = today.ToDateTime(TimeOnly.MinValue),
            ["cut"] = period.Start <= today && today <= period.End,
            ["platforms"] = Array.Empty<string>(),
            ["top"] = 10,
            ["days"] = period.Days,
        };
    }

    private static Dictionary<string, object> ProductParameters(long merchant) => new()
    {
        ["merchant"] = merchant,
        ["platform"] = "shopee",
        ["category_id"] = DBNull.Value,
        ["status"] = DBNull.Value,
        ["stock_status"] = DBNull.Value,
        ["min_price"] = DBNull.Value,
        ["max_price"] = DBNull.Value,
        ["keyword"] = DBNull.Value,
        ["limit"] = 20,
        ["offset"] = 0,
    };
}

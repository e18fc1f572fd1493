using Erp.Db.Queries;
using Erp.Db.Queries.Sales;
using Npgsql;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// refresh.incremental: the due refresh after one more day of orders, traffic and user activity (incremental aggregates
/// recompute the invalidated buckets, dirty materialized views refresh whole, then the C-class
/// results), against refresh.full: every view rebuilt from scratch (<c>ops.refresh_all</c>, also
/// followed by the C-class results). refresh.incremental.aggregates: the same two runs counting
/// only the incremental aggregates' own refreshes (from the refresh log). refresh.readers: the
/// dashboard query's p99 while the views refresh, against its p99 with no refresh running; errors counted.
/// </summary>
internal sealed class RefreshScenario : IScenario
{
    /// <summary>One more day of data: yesterday's orders and their items again, dated the day after the last.</summary>
    private const string NewDay = """
        WITH last AS (SELECT max(order_date) AS day FROM dw.fact_sales_orders),
        source AS MATERIALIZED (
            SELECT o.*, nextval(pg_get_serial_sequence('dw.fact_sales_orders', 'order_id')) AS next_id
              FROM dw.fact_sales_orders AS o, last WHERE o.order_date = last.day
        ),
        copied AS (
            INSERT INTO dw.fact_sales_orders (order_id, merchant_id, order_date, shop_id, customer_id, order_no, status, currency_code, item_count,
                                              discount_amount, gmv, exchange_rate, platform_commission, payment_fee, shipping_fee,
                                              cost_amount_cny, ordered_at)
            OVERRIDING SYSTEM VALUE
            SELECT s.next_id, s.merchant_id, s.order_date + 1, s.shop_id, s.customer_id, s.order_no || '-next', s.status, s.currency_code, s.item_count,
                   s.discount_amount, s.gmv, s.exchange_rate, s.platform_commission, s.payment_fee, s.shipping_fee, s.cost_amount_cny,
                   s.ordered_at + interval '1 day'
              FROM source AS s
        )
        INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, discount_amount, unit_cost)
        SELECT s.merchant_id, s.order_date + 1, s.next_id, i.line_no, i.product_id, i.quantity, i.unit_price, i.discount_amount, i.unit_cost
          FROM source AS s
          JOIN dw.fact_order_items AS i ON i.merchant_id = s.merchant_id AND i.order_id = s.order_id AND i.order_date = s.order_date
        """;

    /// <summary>The same day of traffic and user activity: each shop's last day again, dated the day after it.</summary>
    private const string NewTrafficDay = """
        INSERT INTO dw.fact_traffic_funnel (merchant_id, shop_id, traffic_date, visitors, unique_visitors, page_views, add_to_cart, checkout, orders)
        SELECT f.merchant_id, f.shop_id, f.traffic_date + 1, f.visitors, f.unique_visitors, f.page_views, f.add_to_cart, f.checkout, f.orders
          FROM dw.fact_traffic_funnel AS f
         WHERE f.traffic_date = (SELECT max(traffic_date) FROM dw.fact_traffic_funnel)
        ON CONFLICT DO NOTHING;
        INSERT INTO dw.fact_user_activity (merchant_id, shop_id, activity_date, active_users, new_users, returning_users, paying_users,
                                           sessions, avg_session_seconds, page_views, retention_d1, retention_d7, retention_d30)
        SELECT a.merchant_id, a.shop_id, a.activity_date + 1, a.active_users, a.new_users, a.returning_users, a.paying_users,
               a.sessions, a.avg_session_seconds, a.page_views, NULL, NULL, NULL
          FROM dw.fact_user_activity AS a
         WHERE a.activity_date = (SELECT max(activity_date) FROM dw.fact_user_activity)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>Milliseconds the incremental aggregates took in the run logged with the given trigger.</summary>
    private const string AggregatesMs = """
        SELECT coalesce(sum(l.duration_ms), 0)::float8 FROM ops.mv_refresh_log AS l
          JOIN ops.mv_registry AS r ON r.view_name = l.view_name AND r.view_kind = 'incremental'
         WHERE l.refresh_trigger = $1
        """;

    /// <summary>Each view's duration in the due run and in the full run, longest due first.</summary>
    private const string ViewsMs = """
        SELECT l.view_name, l.duration_ms::float8, coalesce(l.refresh_mode, l.status), coalesce(f.duration_ms, 0)::float8
          FROM ops.mv_refresh_log AS l
          LEFT JOIN ops.mv_refresh_log AS f ON f.view_name = l.view_name AND f.refresh_trigger = 'bench-full'
         WHERE l.refresh_trigger = 'bench-due' AND l.view_name <> 'ops.refresh_due'
         ORDER BY l.duration_ms DESC
        """;

    public string Name => "refresh";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var seeded = await context.SeededAsync();
        var dataSource = seeded.DataSource;
        // Nothing left over from seeding: the due run below sees exactly one more day.
        await Admin.ExecuteAsync(dataSource, "CALL ops.refresh_due('bench-setup')", cancellationToken);
        await Admin.ExecuteAsync(dataSource, NewDay, cancellationToken);
        await Admin.ExecuteAsync(dataSource, NewTrafficDay, cancellationToken);
        var due = await Timing.TimeAsync(() => Admin.ExecuteAsync(dataSource, "CALL ops.refresh_due('bench-due')", cancellationToken));
        var full = await Timing.TimeAsync(() => Admin.ExecuteAsync(dataSource, "CALL ops.refresh_all('bench-full')", cancellationToken));
        var dueAggregates = await AggregatesMsAsync(dataSource, "bench-due", cancellationToken);
        var fullAggregates = await AggregatesMsAsync(dataSource, "bench-full", cancellationToken);
        await ReportViewsAsync(dataSource, cancellationToken);

        var erp = new ErpDatabase(dataSource);
        var query = new SalesQuery { MerchantId = seeded.MerchantId, Period = Period.LastDays(30, DateOnly.FromDateTime(DateTime.Today)) };
        var iterations = context.Orders >= 200_000 ? 200 : 40;
        var idle = await LatencyStats.MeasureAsync(QueryScenario.Callers, iterations, () => erp.Queries.SalesAsync(query, cancellationToken));
        var refreshing = true;
        var refresher = Task.Run(async () =>
        {
            try
            {
                await Admin.ExecuteAsync(dataSource, "CALL ops.refresh_all('bench')", cancellationToken);
            }
            finally
            {
                refreshing = false;
            }
        }, cancellationToken);
        var during = await LatencyStats.MeasureAsync(QueryScenario.Callers, iterations, () => erp.Queries.SalesAsync(query, cancellationToken), () => refreshing);
        await refresher;

        return
        [
            BenchResult.Compare("refresh.incremental", due.TotalMilliseconds, "ms", "refresh.full: every view rebuilt from scratch (ops.refresh_all)", full.TotalMilliseconds, "<= 0.025"),
            BenchResult.Compare("refresh.incremental.aggregates", dueAggregates, "ms", "the incremental aggregates rebuilt from scratch in refresh.full", fullAggregates),
            BenchResult.Compare("refresh.readers.p99", during.P99Ms, "ms", "dashboard p99 with no refresh running", idle.P99Ms, "<= 2"),
            new BenchResult("refresh.readers.errors", during.Errors, "errors", "none allowed", 0, during.Errors, "0"),
        ];
    }

    /// <summary>Writes each view's duration in the due and the full run to stderr (where progress goes), longest first.</summary>
    private static async Task ReportViewsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ViewsMs);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await Console.Error.WriteLineAsync("view | due ms (mode) | full ms");
        while (await reader.ReadAsync(cancellationToken))
        {
            await Console.Error.WriteLineAsync($"{reader.GetString(0)} | {reader.GetDouble(1):0.0} ({reader.GetString(2)}) | {reader.GetDouble(3):0.0}");
        }
    }

    private static async Task<double> AggregatesMsAsync(NpgsqlDataSource dataSource, string trigger, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(AggregatesMs);
        command.Parameters.AddWithValue(trigger);
        return (double)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

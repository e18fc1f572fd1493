using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Results;

public class ShopHealthTests
{
    [Fact]
    public async Task Health_scores_components_and_shop_ranks_equal_the_same_computation_asked_of_the_facts()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        // An epoch, not text: a timestamp written in a session zone of more than 15:59 from UTC does not read back.
        var loading = (await db.ScalarAsync<decimal>("SELECT extract(epoch FROM clock_timestamp())")).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ShopHealthData.LoadAsync(db);

        // The expected rows read where the runs cut today's counterparts from the rows: those are set on exactly the periods
        // that include today, on their counterpart (the last day compared), one time of day per merchant, that of a run.
        Assert.Equal(0, await db.ScalarAsync<long>($"""
            SELECT count(*) FROM mart.shop_health AS h JOIN dw.dim_merchants AS m USING (merchant_id)
             WHERE CASE WHEN h.period_end >= CURRENT_DATE
                        THEN h.previous_through IS NULL OR h.previous_end <> (CURRENT_DATE - ('1 ' || h.period_type)::interval)::date
                             OR h.previous_through - h.previous_end NOT BETWEEN mart.day_cut(m.timezone, CURRENT_DATE, to_timestamp({loading}))::interval
                                                                            AND mart.day_cut(m.timezone, CURRENT_DATE, clock_timestamp())::interval
                             OR h.previous_through - h.previous_end <> (SELECT min(x.previous_through - x.previous_end) FROM mart.shop_health AS x WHERE x.merchant_id = h.merchant_id)
                        ELSE h.previous_through IS NOT NULL END
            """));
        var expected = await db.ScalarAsync<string>(ShopHealthData.Expected);
        var actual = await db.ScalarAsync<string>(ShopHealthData.Actual);

        Assert.Equal(expected, actual);
        // The data exercises every component, both configurations and every period type.
        Assert.True(await db.ScalarAsync<bool>("""
            SELECT count(*) FILTER (WHERE sales_growth IS NOT NULL) > 0 AND count(*) FILTER (WHERE fulfilment_hours IS NOT NULL) > 0
                   AND count(*) FILTER (WHERE return_rate > 0) > 0 AND count(*) FILTER (WHERE stock_out_rate > 0) > 0
                   AND count(*) FILTER (WHERE health_rank = 2) > 0 AND count(DISTINCT period_type) = 3
            FROM mart.shop_health
            """));
        Assert.Equal("1:true|2:false", await db.ScalarAsync<string>(
            "SELECT string_agg(merchant_id || ':' || c, '|' ORDER BY merchant_id) FROM (SELECT merchant_id, bool_and(config_id IS NOT NULL) AS c FROM mart.shop_health GROUP BY merchant_id) AS x"));
    }

    [Fact]
    public async Task Product_ranks_within_their_category_equal_the_same_computation_asked_of_the_facts()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await Views.SalesDataset.LoadAsync(db);

        const string format = "string_agg(concat_ws('|', merchant_id, period_type, period_start, product_id, units, revenue, revenue_rank, units_rank), ',' ORDER BY merchant_id, period_type, period_start, product_id)";
        var actual = await db.ScalarAsync<string>($"SELECT {format} FROM (SELECT merchant_id, period_type, period_start, product_id, units_sold AS units, revenue_cny::numeric(18, 2) AS revenue, revenue_rank, units_rank FROM mart.product_rankings) AS r");
        var expected = await db.ScalarAsync<string>($$"""
            WITH windows (period_type, first_start) AS (
                VALUES ('day', CURRENT_DATE - 89), ('week', date_trunc('week', CURRENT_DATE)::date - 175),
                       ('month', (date_trunc('month', CURRENT_DATE) - interval '23 months')::date)),
            sold AS (
                SELECT it.merchant_id, w.period_type, date_trunc(w.period_type, it.order_date)::date AS period_start, it.product_id, p.category_id,
                       sum(it.quantity) AS units, sum(round(it.amount * o.exchange_rate, 2))::numeric(18, 2) AS revenue
                FROM dw.fact_order_items AS it
                JOIN dw.fact_sales_orders AS o ON o.merchant_id = it.merchant_id AND o.order_id = it.order_id AND o.order_date = it.order_date
                JOIN dw.dim_products AS p ON p.merchant_id = it.merchant_id AND p.product_id = it.product_id
                CROSS JOIN windows AS w
                WHERE dw.is_valid_sale(o.status) AND it.order_date <= CURRENT_DATE AND date_trunc(w.period_type, it.order_date)::date >= w.first_start
                GROUP BY 1, 2, 3, 4, 5)
            SELECT {{format}}
            FROM (SELECT s.*, rank() OVER (PARTITION BY merchant_id, period_type, period_start, category_id ORDER BY revenue DESC) AS revenue_rank,
                              rank() OVER (PARTITION BY merchant_id, period_type, period_start, category_id ORDER BY units DESC) AS units_rank
                  FROM sold AS s) AS r
            """);

        Assert.NotNull(actual);
        Assert.Equal(expected, actual);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM mart.product_rankings WHERE revenue_rank = 2") > 0);
    }

    [Fact]
    public async Task A_config_change_of_one_merchant_rewrites_only_that_merchants_results()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await ShopHealthData.LoadAsync(db);
        await db.ExecuteAsync("""
            INSERT INTO dw.cfg_sales_campaigns (merchant_id, campaign_code, campaign_name, start_date, end_date, target_gmv_cny, budget_cny)
            VALUES (1, 'c1', 'C1', CURRENT_DATE - 10, CURRENT_DATE, 1000, 10), (2, 'c2', 'C2', CURRENT_DATE - 10, CURRENT_DATE, 1000, 10);
            """);
        const string rows = """
            SELECT string_agg(x, ',' ORDER BY x) FROM (
                SELECT 'h' || shop_id || period_type || period_start || ':' || xmin::text AS x FROM mart.shop_health WHERE merchant_id = {0}
                UNION ALL SELECT 'p' || product_id || period_type || period_start || ':' || xmin::text FROM mart.product_rankings WHERE merchant_id = {0}
                UNION ALL SELECT 't' || target_id || ':' || xmin::text FROM mart.target_achievement WHERE merchant_id = {0}
                UNION ALL SELECT 'c' || campaign_id || ':' || xmin::text FROM mart.campaign_results WHERE merchant_id = {0}) AS r
            """;
        var twoBefore = await db.ScalarAsync<string>(string.Format(System.Globalization.CultureInfo.InvariantCulture, rows, 2));
        var oneBefore = await db.ScalarAsync<string>(string.Format(System.Globalization.CultureInfo.InvariantCulture, rows, 1));
        var scoreBefore = await db.ScalarAsync<string>("SELECT string_agg(score::text, ',' ORDER BY period_type, period_start, shop_id) FROM mart.shop_health WHERE merchant_id = 1");

        await db.ExecuteAsync("""UPDATE dw.cfg_performance_configs SET weights = '{"sales_growth": 1, "gross_margin": 0, "fulfilment_hours": 0, "return_rate": 0, "stock_out_rate": 0}' WHERE merchant_id = 1""");

        Assert.Contains(":", twoBefore);
        Assert.Equal(twoBefore, await db.ScalarAsync<string>(string.Format(System.Globalization.CultureInfo.InvariantCulture, rows, 2)));
        Assert.NotEqual(oneBefore, await db.ScalarAsync<string>(string.Format(System.Globalization.CultureInfo.InvariantCulture, rows, 1)));
        Assert.NotEqual(scoreBefore, await db.ScalarAsync<string>("SELECT string_agg(score::text, ',' ORDER BY period_type, period_start, shop_id) FROM mart.shop_health WHERE merchant_id = 1"));
        // Weight on sales growth only: the score is the sales growth score.
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM mart.shop_health WHERE merchant_id = 1 AND score IS DISTINCT FROM sales_growth_score"));
        Assert.Equal("config:cfg_performance_configs", await db.ScalarAsync<string>("SELECT refresh_trigger FROM ops.mv_refresh_log ORDER BY log_id DESC LIMIT 1"));
        Assert.Equal("succeeded", await db.ScalarAsync<string>("SELECT status FROM ops.mv_refresh_log ORDER BY log_id DESC LIMIT 1"));
    }

    [Fact]
    public async Task A_statement_that_changes_no_config_row_recomputes_nothing_and_truncate_recomputes_every_merchant()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await ShopHealthData.LoadAsync(db);
        var logs = await db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log");

        await db.ExecuteAsync("UPDATE dw.cfg_performance_configs SET config_name = 'x' WHERE merchant_id = 99");
        Assert.Equal(logs, await db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log"));

        await db.ExecuteAsync("TRUNCATE dw.cfg_performance_configs");
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM mart.shop_health WHERE config_id IS NOT NULL"));
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM mart.shop_health WHERE merchant_id = 1") > 0);
    }

    [Fact]
    public async Task A_reader_of_one_merchant_sees_no_health_or_ranking_row_of_another()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await ShopHealthData.LoadAsync(db);
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");

        foreach (var table in new[] { "mart.shop_health", "mart.product_rankings" })
        {
            var own = await db.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE merchant_id = 1");
            Assert.True(own > 0, table);
            Assert.True(await db.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE merchant_id = 2") > 0, table);
            Assert.Equal(own, await reader.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
            Assert.Equal(0, await reader.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE merchant_id <> 1"));
        }
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
    }
}

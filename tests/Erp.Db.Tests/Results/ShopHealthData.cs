using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Results;

/// <summary>
/// The views' test dataset with what the health components need on top: ship times, returned and
/// refunded orders, out-of-stock listings; every result recomputed; merchant 1 has its own
/// shop_health configuration, merchant 2 the defaults.
/// </summary>
internal static class ShopHealthData
{
    /// <summary>Merchant 1's configuration as (component, weight, good, bad), the same as <see cref="ConfigSql"/>.</summary>
    public const string MerchantOneConfig = """
        (1, 'sales_growth', 0.1, 0.5, -0.5), (1, 'gross_margin', 0.4, 0.6, 0.2), (1, 'fulfilment_hours', 0.2, 12, 48),
        (1, 'return_rate', 0.2, 0.0, 0.2), (1, 'stock_out_rate', 0.1, 0.0, 0.5)
        """;

    /// <summary>The defaults docs/business-flows.md documents, for merchant 2.</summary>
    public const string MerchantTwoDefaults = """
        (2, 'sales_growth', 0.25, 0.20, -0.20), (2, 'gross_margin', 0.25, 0.40, 0.10), (2, 'fulfilment_hours', 0.20, 24, 72),
        (2, 'return_rate', 0.15, 0.02, 0.10), (2, 'stock_out_rate', 0.15, 0.02, 0.20)
        """;

    public const string ConfigSql = """
        INSERT INTO dw.cfg_performance_configs (merchant_id, config_code, config_name, scope, weights, thresholds, effective_from)
        VALUES (1, 'shop_health', 'Shop health', 'shop',
                '{"sales_growth": 0.1, "gross_margin": 0.4, "fulfilment_hours": 0.2, "return_rate": 0.2, "stock_out_rate": 0.1}',
                '{"sales_growth": {"good": 0.5, "bad": -0.5}, "gross_margin": {"good": 0.6, "bad": 0.2},
                  "fulfilment_hours": {"good": 12, "bad": 48}, "return_rate": {"good": 0, "bad": 0.2},
                  "stock_out_rate": {"good": 0, "bad": 0.5}}',
                CURRENT_DATE - 1000)
        """;

    public static async Task LoadAsync(TestDatabase db)
    {
        await Views.SalesDataset.LoadAsync(db);
        await db.ExecuteAsync("""
            UPDATE dw.fact_sales_orders SET shipped_at = ordered_at + ((order_id % 5) * 12 + 6) * interval '1 hour'
             WHERE status = 'completed' AND order_id % 3 <> 0;
            UPDATE dw.fact_sales_orders SET status = CASE WHEN order_id % 2 = 0 THEN 'returned' ELSE 'refunded' END
             WHERE status = 'completed' AND order_id % 11 = 0;
            UPDATE dw.fact_product_metrics SET listing_status = 'out_of_stock' WHERE (product_id + (metric_date - CURRENT_DATE)) % 3 = 0;
            UPDATE dw.fact_product_metrics SET listing_status = 'inactive' WHERE product_id = 202 AND metric_date = CURRENT_DATE - 14;
            """);
        await db.ExecuteAsync("CALL ops.refresh_all('test')");
        await db.ExecuteAsync(ConfigSql);
    }

    /// <summary>
    /// Every expected mart.shop_health row as text, asked of the facts directly: one line per merchant, period and shop
    /// with the raw values, the score and the three ranks, in the format of <see cref="Actual"/>.
    /// </summary>
    public const string Expected = $$"""
        WITH cfg (merchant_id, component, weight, good, bad) AS (VALUES {{MerchantOneConfig}}, {{MerchantTwoDefaults}}),
        windows (period_type, step, first_start) AS (
            VALUES ('day', interval '1 day', CURRENT_DATE - 89),
                   ('week', interval '1 week', date_trunc('week', CURRENT_DATE)::date - 175),
                   ('month', interval '1 month', (date_trunc('month', CURRENT_DATE) - interval '23 months')::date)),
        orders AS MATERIALIZED (
            SELECT o.merchant_id, o.shop_id, o.order_date, o.status, o.gmv_cny, o.gross_profit_cny, o.ordered_at, o.shipped_at,
                   extract(hour FROM o.ordered_at AT TIME ZONE m.timezone) AS local_hour
            FROM dw.fact_sales_orders AS o JOIN dw.dim_merchants AS m USING (merchant_id) WHERE o.order_date <= CURRENT_DATE),
        -- The minutes of the day (to 24:00) after which each merchant's run cut the last day compared with a period that
        -- includes today (ShopHealthTests holds them to the time of the run).
        cuts AS (
            SELECT merchant_id, extract(epoch FROM min(previous_through - previous_end)) / 60 AS minutes
            FROM mart.shop_health GROUP BY merchant_id),
        listings AS MATERIALIZED (
            SELECT merchant_id, shop_id, metric_date, stock, listing_status
            FROM dw.fact_product_metrics WHERE listing_status IN ('active', 'out_of_stock') AND metric_date <= CURRENT_DATE),
        activity AS (
            SELECT merchant_id, shop_id, order_date AS day FROM orders
            UNION
            SELECT merchant_id, shop_id, metric_date FROM listings),
        keys AS (
            SELECT DISTINCT a.merchant_id, a.shop_id, w.period_type, w.step, date_trunc(w.period_type, a.day)::date AS period_start
            FROM activity AS a CROSS JOIN windows AS w
            WHERE date_trunc(w.period_type, a.day)::date >= w.first_start),
        raw AS (
            SELECT k.merchant_id, k.shop_id, k.period_type, k.period_start, (k.period_start + k.step - interval '1 day')::date AS period_end,
                   cur.gmv, cur.gp,
                   CASE WHEN prev.gmv > 0 THEN round((cur.gmv - prev.gmv) / prev.gmv, 6) END AS growth,
                   CASE WHEN cur.gmv > 0 THEN round(cur.gp / cur.gmv, 6) END AS margin,
                   round(cur.hours, 2) AS hours,
                   CASE WHEN cur.kept > 0 THEN round(cur.ret::numeric / cur.kept, 6) END AS returns,
                   CASE WHEN l.listings > 0 THEN round(l.oos::numeric / l.listings, 6) END AS stock_out
            FROM keys AS k
            CROSS JOIN LATERAL (
                SELECT coalesce(sum(o.gmv_cny) FILTER (WHERE dw.is_valid_sale(o.status)), 0) AS gmv,
                       coalesce(sum(o.gross_profit_cny) FILTER (WHERE dw.is_valid_sale(o.status)), 0) AS gp,
                       count(*) FILTER (WHERE o.status IN ('refunded', 'returned')) AS ret,
                       count(*) FILTER (WHERE o.status <> 'cancelled') AS kept,
                       avg(extract(epoch FROM o.shipped_at - o.ordered_at) / 3600) AS hours
                FROM orders AS o
                WHERE o.merchant_id = k.merchant_id AND o.shop_id = k.shop_id
                  AND o.order_date >= k.period_start AND o.order_date < k.period_start + k.step) AS cur
            -- The period before; while this one includes today, only its same days, the last of them (today's
            -- counterpart) up to the run's time of day: its hours before whole, that hour by its minutes.
            CROSS JOIN LATERAL (SELECT k.period_start + k.step - interval '1 day' >= CURRENT_DATE AS running,
                                       (CURRENT_DATE - k.step)::date AS counterpart) AS r
            LEFT JOIN cuts AS u ON u.merchant_id = k.merchant_id
            CROSS JOIN LATERAL (
                SELECT coalesce(sum(o.gmv_cny) FILTER (WHERE NOT r.running OR o.order_date < r.counterpart), 0)
                       + round(coalesce(sum(o.gmv_cny * least(60, greatest(0, u.minutes - 60 * o.local_hour)))
                                            FILTER (WHERE r.running AND o.order_date = r.counterpart), 0) / 60, 2) AS gmv
                FROM orders AS o
                WHERE o.merchant_id = k.merchant_id AND o.shop_id = k.shop_id AND dw.is_valid_sale(o.status)
                  AND o.order_date >= k.period_start - k.step AND o.order_date < k.period_start) AS prev
            CROSS JOIN LATERAL (
                SELECT count(*) AS listings, count(*) FILTER (WHERE m.stock = 0 OR m.listing_status = 'out_of_stock') AS oos
                FROM listings AS m
                WHERE m.merchant_id = k.merchant_id AND m.shop_id = k.shop_id
                  AND m.metric_date >= k.period_start AND m.metric_date < k.period_start + k.step) AS l),
        scored AS (
            SELECT r.*,
                   (SELECT round(sum(c.weight * s.s) / nullif(sum(c.weight) FILTER (WHERE s.s IS NOT NULL), 0), 2)
                    FROM cfg AS c
                    CROSS JOIN LATERAL (
                        SELECT CASE WHEN v.v IS NOT NULL THEN round(greatest(0, least(100, 100 * (v.v - c.bad) / (c.good - c.bad))), 2) END AS s
                        FROM (SELECT CASE c.component WHEN 'sales_growth' THEN r.growth WHEN 'gross_margin' THEN r.margin
                                                      WHEN 'fulfilment_hours' THEN r.hours WHEN 'return_rate' THEN r.returns
                                                      ELSE r.stock_out END AS v) AS v) AS s
                    WHERE c.merchant_id = r.merchant_id) AS score
            FROM raw AS r)
        SELECT string_agg(concat_ws('|', merchant_id, shop_id, period_type, period_start, period_end, gmv::numeric(18, 2), gp::numeric(18, 2),
                                    coalesce(growth::numeric(18, 6)::text, '-'), coalesce(margin::numeric(18, 6)::text, '-'), coalesce(hours::numeric(18, 2)::text, '-'),
                                    coalesce(returns::numeric(18, 6)::text, '-'), coalesce(stock_out::numeric(18, 6)::text, '-'), coalesce(score::numeric(5, 2)::text, '-'), revenue_rank, profit_rank,
                                    coalesce(health_rank::text, '-')),
                          E'\n' ORDER BY merchant_id, period_type, period_start, shop_id)
        FROM (SELECT s.*,
                     rank() OVER (PARTITION BY merchant_id, period_type, period_start ORDER BY gmv DESC) AS revenue_rank,
                     rank() OVER (PARTITION BY merchant_id, period_type, period_start ORDER BY gp DESC) AS profit_rank,
                     CASE WHEN score IS NOT NULL THEN rank() OVER (PARTITION BY merchant_id, period_type, period_start ORDER BY score DESC NULLS LAST) END AS health_rank
              FROM scored AS s) AS x
        """;

    /// <summary>Every mart.shop_health row in the format of <see cref="Expected"/>.</summary>
    public const string Actual = """
        SELECT string_agg(concat_ws('|', merchant_id, shop_id, period_type, period_start, period_end, gmv_cny::numeric(18, 2),
                                    gross_profit_cny::numeric(18, 2), coalesce(sales_growth::numeric(18, 6)::text, '-'), coalesce(gross_margin::numeric(18, 6)::text, '-'),
                                    coalesce(fulfilment_hours::numeric(18, 2)::text, '-'), coalesce(return_rate::numeric(18, 6)::text, '-'), coalesce(stock_out_rate::numeric(18, 6)::text, '-'),
                                    coalesce(score::text, '-'), revenue_rank, profit_rank, coalesce(health_rank::text, '-')),
                          E'\n' ORDER BY merchant_id, period_type, period_start, shop_id)
        FROM mart.shop_health
        """;
}

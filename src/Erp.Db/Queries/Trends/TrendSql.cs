namespace Erp.Db.Queries.Trends;

/// <summary>The trend query (sql/queries/trends.sql).</summary>
internal static class TrendSql
{
    public static string Series { get; } = QuerySql.Text("trends");

    public static string[] Views { get; } = QuerySql.Views("trends");

    /// <summary>The value of <c>:unit</c>.</summary>
    public static string Unit(Granularity granularity) => granularity switch
    {
        Granularity.Week => "week",
        Granularity.Month => "month",
        _ => "day",
    };

    /// <summary>One row of trends.sql: a bucket's point and whether the daily sales have a row in it.</summary>
    internal sealed record Row
    {
        public DateOnly Bucket { get; init; }

        public decimal Revenue { get; init; }

        public long Orders { get; init; }

        public decimal? Aov { get; init; }

        public decimal NetProfit { get; init; }

        /// <summary>The bucket has orders (if only cancelled ones); false for a bucket the series fills in at 0.</summary>
        public bool HasOrders { get; init; }

        public decimal? RevenueChange { get; init; }

        public decimal? OrdersChange { get; init; }

        public decimal? AovChange { get; init; }

        /// <summary>
        /// The point; the change of revenue and orders only between two complete buckets (<paramref name="complete"/> and
        /// <paramref name="previousComplete"/>): a bucket cut by the period's edges or reaching today has fewer days of sales, and
        /// a change against it would measure the days, not the sales (a whole week after a 4-day first one "grew" 120%). AOV, an
        /// average, compares any two buckets with orders.
        /// </summary>
        public TrendPoint Point(bool complete, bool previousComplete) => new()
        {
            Bucket = Bucket,
            Revenue = Revenue,
            Orders = Orders,
            Aov = Aov,
            NetProfit = NetProfit,
            RevenueChange = complete && previousComplete ? RevenueChange : null,
            OrdersChange = complete && previousComplete ? OrdersChange : null,
            AovChange = AovChange,
            Complete = complete,
        };
    }
}

namespace Erp.Db.Queries.Trends;

/// <summary>The forecast of <see cref="TrendForecast"/>: least-squares lines through the complete buckets and their 95% prediction band.</summary>
internal static class TrendForecaster
{
    private const double Z95 = 1.96;

    /// <summary>Extends <paramref name="fitted"/> (complete buckets, empty ones at 0, with their index among all buckets) by <paramref name="buckets"/> buckets from <paramref name="firstIndex"/>.</summary>
    /// <exception cref="QueryValidationException">Fewer than 3 complete buckets to fit.</exception>
    public static (IReadOnlyList<TrendPoint> Points, TrendForecast Model) Forecast(Granularity granularity, IReadOnlyList<(int Index, DateOnly Bucket, TrendPoint Point)> fitted,
        int firstIndex, DateOnly firstBucket, int buckets)
    {
        if (fitted.Count < 3)
        {
            throw new QueryValidationException("forecast", $"A forecast needs at least 3 complete {granularity.ToString().ToLowerInvariant()}s in the period; it has {fitted.Count}. Widen the period.");
        }
        var x = fitted.Select(f => (double)f.Index).ToArray();
        var revenue = Line.Fit(x, [.. fitted.Select(f => (double)f.Point.Revenue)]);
        var orders = Line.Fit(x, [.. fitted.Select(f => (double)f.Point.Orders)]);
        var profit = Line.Fit(x, [.. fitted.Select(f => (double)f.Point.NetProfit)]);
        var points = new List<TrendPoint>(buckets);
        var bucket = firstBucket;
        for (var i = 0; i < buckets; i++, bucket = TrendBuckets.Next(granularity, bucket))
        {
            var at = firstIndex + i;
            var value = Math.Max(0, revenue.At(at));
            var count = Math.Max(0, orders.At(at));
            var roundedOrders = (long)Math.Round(count, MidpointRounding.AwayFromZero);
            points.Add(new TrendPoint
            {
                Bucket = bucket,
                Revenue = Money(value),
                Orders = roundedOrders,
                Aov = roundedOrders == 0 ? null : Money(value / roundedOrders),
                NetProfit = Money(profit.At(at)),
                Complete = false,
                Forecast = true,
                RevenueLower = Money(Math.Max(0, revenue.At(at) - (Z95 * revenue.Error(at)))),
                RevenueUpper = Money(Math.Max(0, revenue.At(at) + (Z95 * revenue.Error(at)))),
                OrdersLower = Money(Math.Max(0, orders.At(at) - (Z95 * orders.Error(at)))),
                OrdersUpper = Money(Math.Max(0, orders.At(at) + (Z95 * orders.Error(at)))),
            });
        }
        return (points, new TrendForecast("linear_regression", buckets, fitted.Count, fitted[0].Bucket, fitted[^1].Bucket, Money(revenue.Slope), "prediction_interval_95"));
    }

    private static decimal Money(double value) => Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero);

    /// <summary>y = intercept + slope·x by least squares, with what the prediction band needs.</summary>
    private sealed record Line(double Intercept, double Slope, double ResidualError, int Count, double MeanX, double Sxx)
    {
        public static Line Fit(double[] x, double[] y)
        {
            var n = x.Length;
            var meanX = x.Average();
            var meanY = y.Average();
            var sxx = x.Sum(v => (v - meanX) * (v - meanX));
            var sxy = x.Zip(y).Sum(p => (p.First - meanX) * (p.Second - meanY));
            var slope = sxx == 0 ? 0 : sxy / sxx;
            var intercept = meanY - (slope * meanX);
            var sse = x.Zip(y).Sum(p => Math.Pow(p.Second - (intercept + (slope * p.First)), 2));
            return new Line(intercept, slope, Math.Sqrt(sse / (n - 2)), n, meanX, sxx);
        }

        public double At(double x) => Intercept + (Slope * x);

        /// <summary>Standard error of a new observation at <paramref name="x"/>.</summary>
        public double Error(double x) => ResidualError * Math.Sqrt(1 + (1.0 / Count) + (Sxx == 0 ? 0 : (x - MeanX) * (x - MeanX) / Sxx));
    }
}

namespace Erp.Db.Seeding.Generation;

/// <summary>Daily rates to CNY of every currency with a known base rate: a mean-reverting random walk per currency.</summary>
internal sealed class CurrencyRates
{
    private readonly Dictionary<string, decimal[]> rates = new(StringComparer.Ordinal);

    public CurrencyRates(int seed, IReadOnlyList<string> currencies, int days)
    {
        for (var c = 0; c < currencies.Count; c++)
        {
            var code = currencies[c];
            var baseRate = Catalog.BaseRate(code);
            if (baseRate <= 0)
            {
                continue;
            }
            var series = new decimal[days];
            var random = SeedHash.Random(seed, 11, c);
            var drift = 0.0;
            for (var d = 0; d < days; d++)
            {
                drift = (0.97 * drift) + (0.004 * random.Gaussian());
                series[d] = code == "CNY" ? 1m : Math.Max(0.00000001m, Math.Round((decimal)(baseRate * Math.Exp(drift)), 8 - Magnitude(baseRate)));
            }
            rates[code] = series;
        }
        Codes = [.. rates.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>Currencies with rates, in code order.</summary>
    public IReadOnlyList<string> Codes { get; }

    public decimal Rate(string currency, int day) => rates[currency][day];

    public bool Has(string currency) => rates.ContainsKey(currency);

    /// <summary>Keeps about eight significant digits for tiny rates (IDR, VND) without exceeding numeric(18,8).</summary>
    private static int Magnitude(double rate) => rate >= 1 ? 2 : 0;
}

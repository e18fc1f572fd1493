namespace Erp.Db.Queries;

/// <summary>
/// The rounding rule of a rate computed in C# (trends' <c>changeRate</c>): the same as <c>mart.rate</c>, which every query file uses,
/// so that a rate has the same precision in every command (docs/metrics.md, "Rates").
/// </summary>
internal static class Rate
{
    /// <summary>Decimal places of a rate (a fraction: 0.060606 is 6.0606%), as <c>mart.rate</c> rounds.</summary>
    public const int Decimals = 6;

    /// <summary><paramref name="part"/> / <paramref name="whole"/> rounded as <c>mart.rate</c> does (PostgreSQL rounds half away from zero); null when the whole is 0.</summary>
    public static decimal? Of(decimal part, decimal whole) =>
        whole == 0 ? null : Math.Round(part / whole, Decimals, MidpointRounding.AwayFromZero);
}

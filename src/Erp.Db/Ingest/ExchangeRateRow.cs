namespace Erp.Db.Ingest;

/// <summary>
/// A currency's rate to CNY on a day, for <see cref="Ingestor.UpsertExchangeRatesAsync(IEnumerable{ExchangeRateRow}, CancellationToken)"/>
/// (table <c>dw.fact_exchange_rates</c>), keyed by (<paramref name="CurrencyCode"/>, <paramref name="RateDate"/>). The rates are
/// shared by every merchant: a row imported without an exchange_rate takes its currency's rate of its date, else the latest in the 31 days
/// before it. A rate added or corrected later reaches the rows already stored when they are imported again without an exchange_rate.
/// </summary>
/// <param name="CurrencyCode">A known currency (dw.dim_currencies), e.g. USD; written in any case, stored in capitals.</param>
/// <param name="RateDate">The day the rate is for.</param>
/// <param name="RateToCny">CNY per unit of the currency; more than 0, and 1 for CNY.</param>
public sealed record ExchangeRateRow(string CurrencyCode, DateOnly RateDate, decimal RateToCny)
{
    /// <summary>Where the rate comes from (a bank, a platform, ...); default <c>manual</c>.</summary>
    public string Source { get; init; } = "manual";
}

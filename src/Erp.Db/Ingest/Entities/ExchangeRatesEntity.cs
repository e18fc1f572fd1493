using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Exchange rates into dw.fact_exchange_rates, keyed (currency_code, rate_date); shared by every merchant.</summary>
internal static class ExchangeRatesEntity
{
    public static readonly IngestPlan<ExchangeRateRow> Plan = new("exchange-rates", new EntityDefinition<ExchangeRateRow>
    {
        Table = "dw.fact_exchange_rates",
        Fields =
        [
            // Currency codes are capitals in dw.dim_currencies; usd is USD, as a code of a fixed list is folded to its case.
            Field.Text<ExchangeRateRow>("currency_code", r => r.CurrencyCode?.Trim().ToUpperInvariant()),
            Field.Date<ExchangeRateRow>("rate_date", r => r.RateDate),
            Field.Numeric<ExchangeRateRow>("rate_to_cny", r => r.RateToCny),
            Field.Text<ExchangeRateRow>("source", r => r.Source),
        ],
        KeyFields = ["currency_code", "rate_date"],
        Columns = [.. new[] { "currency_code", "rate_date", "rate_to_cny", "source" }.Select(TargetColumn.Same)],
        ConflictColumns = ["currency_code", "rate_date"],
        Checks =
        [
            RowCheck.Required("currency_code"),
            References.Currency("fact_exchange_rates_currency_code_fkey"),
        ],
    });
}

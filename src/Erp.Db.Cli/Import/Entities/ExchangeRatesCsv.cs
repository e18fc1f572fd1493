using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>exchange-rates: file columns of <see cref="ExchangeRateRow"/>.</summary>
internal static class ExchangeRatesCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<ExchangeRateRow>("exchange-rates", "dw.fact_exchange_rates",
    [
        new("currency_code", true, "a known currency, e.g. USD (any case)"),
        new("rate_date", true, "the day of the rate"),
        new("rate_to_cny", true, "CNY per unit of the currency, more than 0 (1 for CNY); shared by every merchant"),
        new("source", false, "where the rate comes from, default 'manual'"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertExchangeRatesAsync(rows, ct));

    private static ExchangeRateRow Map(CsvRecord r)
    {
        var row = new ExchangeRateRow(r.Text("currency_code"), r.Date("rate_date"), r.Decimal("rate_to_cny"));
        return row with { Source = r.TextOrNull("source") ?? row.Source };
    }
}

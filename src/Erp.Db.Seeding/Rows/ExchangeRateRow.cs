using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.fact_exchange_rates.</summary>
/// <param name="CurrencyCode">Currency.</param>
/// <param name="RateDate">Day.</param>
/// <param name="RateToCny">CNY per unit of the currency.</param>
internal sealed record ExchangeRateRow(string CurrencyCode, DateOnly RateDate, decimal RateToCny) : ICopyRow<ExchangeRateRow>
{
    static string ICopyRow<ExchangeRateRow>.Table => "dw.fact_exchange_rates";

    static string ICopyRow<ExchangeRateRow>.CopyCommand =>
        "COPY dw.fact_exchange_rates (currency_code, rate_date, rate_to_cny, source) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<ExchangeRateRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(CurrencyCode, NpgsqlDbType.Char, ct);
        await w.WriteAsync(RateDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(RateToCny, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync("demo", NpgsqlDbType.Text, ct);
    }
}

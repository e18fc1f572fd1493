using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.fact_payment_receipts.</summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="ReceiptId">Key (with merchant).</param>
/// <param name="ReceivableId">Receivable it settles.</param>
/// <param name="ReceiptDate">Business day.</param>
/// <param name="ReceivedAt">When the money arrived (UTC).</param>
/// <param name="CurrencyCode">Currency.</param>
/// <param name="ExchangeRate">CNY per unit that day.</param>
/// <param name="Amount">Amount received.</param>
/// <param name="PaymentMethod">platform_settlement or bank_transfer.</param>
/// <param name="ReferenceNo">Transaction reference, unique per merchant.</param>
internal sealed record PaymentReceiptRow(
    long MerchantId, long ReceiptId, long ReceivableId, DateOnly ReceiptDate, DateTime ReceivedAt, string CurrencyCode,
    decimal ExchangeRate, decimal Amount, string PaymentMethod, string ReferenceNo)
    : ICopyRow<PaymentReceiptRow>
{
    static string ICopyRow<PaymentReceiptRow>.Table => "dw.fact_payment_receipts";

    static string ICopyRow<PaymentReceiptRow>.CopyCommand =>
        "COPY dw.fact_payment_receipts (merchant_id, receipt_id, receivable_id, receipt_date, received_at, currency_code, "
        + "exchange_rate, amount, payment_method, reference_no) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<PaymentReceiptRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ReceiptId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ReceivableId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ReceiptDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(ReceivedAt, NpgsqlDbType.TimestampTz, ct);
        await w.WriteAsync(CurrencyCode, NpgsqlDbType.Char, ct);
        await w.WriteAsync(ExchangeRate, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(Amount, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(PaymentMethod, NpgsqlDbType.Text, ct);
        await w.WriteAsync(ReferenceNo, NpgsqlDbType.Text, ct);
    }
}

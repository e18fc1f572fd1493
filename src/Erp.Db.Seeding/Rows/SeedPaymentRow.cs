using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>
/// A payment received for an invoice, loaded into the load's temporary table; it becomes a row of
/// dw.fact_payment_receipts once posting has created the receivable its invoice number names.
/// </summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="ReceiptId">Key (with merchant).</param>
/// <param name="InvoiceNo">Invoice (the order's invoice_id) the payment settles.</param>
/// <param name="ReceiptDate">Business day.</param>
/// <param name="ReceivedAt">When the money arrived (UTC).</param>
/// <param name="CurrencyCode">Currency.</param>
/// <param name="ExchangeRate">CNY per unit that day.</param>
/// <param name="Amount">Amount received.</param>
/// <param name="PaymentMethod">platform_settlement or bank_transfer.</param>
/// <param name="ReferenceNo">Transaction reference, unique per merchant.</param>
internal sealed record SeedPaymentRow(
    long MerchantId, long ReceiptId, string InvoiceNo, DateOnly ReceiptDate, DateTime ReceivedAt, string CurrencyCode,
    decimal ExchangeRate, decimal Amount, string PaymentMethod, string ReferenceNo)
    : ICopyRow<SeedPaymentRow>
{
    static string ICopyRow<SeedPaymentRow>.Table => "dw.fact_payment_receipts";

    static string ICopyRow<SeedPaymentRow>.CopyCommand =>
        "COPY pg_temp.seed_payments (merchant_id, receipt_id, invoice_no, receipt_date, received_at, currency_code, "
        + "exchange_rate, amount, payment_method, reference_no) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<SeedPaymentRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ReceiptId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(InvoiceNo, NpgsqlDbType.Text, ct);
        await w.WriteAsync(ReceiptDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(ReceivedAt, NpgsqlDbType.TimestampTz, ct);
        await w.WriteAsync(CurrencyCode, NpgsqlDbType.Char, ct);
        await w.WriteAsync(ExchangeRate, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(Amount, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(PaymentMethod, NpgsqlDbType.Text, ct);
        await w.WriteAsync(ReferenceNo, NpgsqlDbType.Text, ct);
    }
}

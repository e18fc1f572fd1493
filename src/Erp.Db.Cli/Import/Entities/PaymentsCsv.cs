using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>payments: CSV columns of <see cref="PaymentRow"/>.</summary>
internal static class PaymentsCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<PaymentRow>("payments", "dw.fact_payment_receipts",
    [
        .. KeyColumns.Merchant,
        new("reference_no", true, "bank/platform reference, unique per merchant (the key)"),
        new("receipt_date", true, "day, yyyy-mm-dd"),
        new("received_at", true, "timestamp"),
        new("amount", true, "more than 0"),
        new("currency_code", false, "default the receivable's currency, CNY without one; a stored row keeps its own when the file has no currency_code column"),
        new("exchange_rate", false, "CNY per unit; default the receipt date's rate of its currency from dw.fact_exchange_rates (1 for CNY)"),
        new("payment_method", false, "platform_settlement (default), bank_transfer, card, cash, e_wallet, other"),
        new("invoice_no", false, "invoice_no of the receivable it settles"),
        new("order_no", false, "order_no of the order whose receivable it settles (when no invoice_no)"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertPaymentsAsync(rows, ct));

    private static PaymentRow Map(CsvRecord r)
    {
        var row = new PaymentRow(r.LongOrNull("merchant_id") ?? 0, r.Text("reference_no"), r.Date("receipt_date"), r.Timestamp("received_at"), r.Decimal("amount"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            CurrencyCode = r.TextOrNull("currency_code") ?? row.CurrencyCode,
            ExchangeRate = r.DecimalOrNull("exchange_rate") ?? row.ExchangeRate,
            PaymentMethod = r.TextOrNull("payment_method") ?? row.PaymentMethod,
            InvoiceNo = r.TextOrNull("invoice_no"),
            OrderNo = r.TextOrNull("order_no"),
        };
    }
}

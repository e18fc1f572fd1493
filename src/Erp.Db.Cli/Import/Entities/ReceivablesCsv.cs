using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>receivables: file columns of <see cref="ReceivableEntryRow"/>.</summary>
internal static class ReceivablesCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<ReceivableEntryRow>("receivables", "dw.fact_accounts_receivable",
    [
        .. KeyColumns.Merchant,
        new("invoice_no", true, "invoice number (the key)"),
        new("invoice_date", true, "yyyy-mm-dd"),
        new("due_date", true, "yyyy-mm-dd, not before invoice_date"),
        new("amount", true, "amount due, not negative"),
        .. KeyColumns.OptionalShop,
        .. KeyColumns.Customer,
        new("currency_code", false, "default the shop's currency, CNY without a shop; a stored row keeps its own when the file has no currency_code column"),
        new("exchange_rate", false, "default the invoice date's rate"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertReceivablesAsync(rows, ct));

    private static ReceivableEntryRow Map(CsvRecord r)
    {
        var row = new ReceivableEntryRow(r.LongOrNull("merchant_id") ?? 0, r.Text("invoice_no"), r.Date("invoice_date"), r.Date("due_date"), r.Decimal("amount"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            ShopId = r.LongOrNull("shop_id"),
            ShopCode = r.TextOrNull("shop_code"),
            CustomerId = r.LongOrNull("customer_id"),
            CustomerCode = r.TextOrNull("customer_code"),
            CurrencyCode = r.TextOrNull("currency_code") ?? row.CurrencyCode,
            ExchangeRate = r.DecimalOrNull("exchange_rate"),
        };
    }
}

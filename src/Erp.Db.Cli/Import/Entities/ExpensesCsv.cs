using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>expenses: CSV columns of <see cref="ExpenseRow"/>.</summary>
internal static class ExpensesCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<ExpenseRow>("expenses", "dw.fact_expenses",
    [
        .. KeyColumns.Merchant,
        new("reference_no", true, "bill number, unique per merchant (the key)"),
        new("expense_date", true, "day, yyyy-mm-dd"),
        new("category", true, "advertising, logistics, platform_fee, payment_fee, packaging, warehousing, salary, rent, software, tax, refund, other"),
        new("amount", true, "amount, not negative"),
        .. KeyColumns.OptionalShop,
        new("currency_code", false, "default the shop's currency, CNY without a shop; a stored row keeps its own when the file has no currency_code column"),
        new("exchange_rate", false, "CNY per unit; default the expense date's rate of its currency from dw.fact_exchange_rates (1 for CNY)"),
        new("description", false, ""),
        new("vendor", false, ""),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertExpensesAsync(rows, ct));

    private static ExpenseRow Map(CsvRecord r)
    {
        var row = new ExpenseRow(r.LongOrNull("merchant_id") ?? 0, r.Text("reference_no"), r.Date("expense_date"), r.Text("category"), r.Decimal("amount"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            ShopCode = r.TextOrNull("shop_code"),
            ShopId = r.LongOrNull("shop_id"),
            CurrencyCode = r.TextOrNull("currency_code") ?? row.CurrencyCode,
            ExchangeRate = r.DecimalOrNull("exchange_rate") ?? row.ExchangeRate,
            Description = r.TextOrNull("description"),
            Vendor = r.TextOrNull("vendor"),
        };
    }
}

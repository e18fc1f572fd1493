using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Expenses into dw.fact_expenses, keyed (merchant_id, reference_no): the partial unique index fact_expenses_reference_unique.</summary>
internal static class ExpensesEntity
{
    /// <summary>An expense's currency defaults to its shop's (CNY for a merchant-wide expense).</summary>
    private static readonly CurrencyRule Money = new("expense_date",
        "dw.fact_expenses AS stored ON stored.merchant_id = t.merchant_id AND stored.reference_no = t.reference_no",
        "dw.dim_shops", ["merchant_id", "shop_id"]);

    public static readonly IngestPlan<ExpenseRow> Plan = new("expenses", new EntityDefinition<ExpenseRow>
    {
        Table = "dw.fact_expenses",
        Fields =
        [
            Field.Id<ExpenseRow>("merchant_id", r => r.MerchantId),
            Field.Text<ExpenseRow>("merchant_code", r => r.MerchantCode),
            Field.Text<ExpenseRow>("reference_no", r => r.ReferenceNo),
            Field.Date<ExpenseRow>("expense_date", r => r.ExpenseDate),
            Field.Code<ExpenseRow>("category", r => r.Category),
            Field.Numeric<ExpenseRow>("amount", r => r.Amount),
            Field.Bigint<ExpenseRow>("shop_id", r => r.ShopId),
            Field.Text<ExpenseRow>("shop_code", r => r.ShopCode),
            Field.Text<ExpenseRow>("currency_code", r => r.CurrencyCode),
            Field.Numeric<ExpenseRow>("exchange_rate", r => r.ExchangeRate),
            Field.Text<ExpenseRow>("description", r => r.Description),
            Field.Text<ExpenseRow>("vendor", r => r.Vendor),
        ],
        KeyFields = ["merchant_id", "reference_no"],
        Columns =
        [
            .. new[]
            {
                "merchant_id", "reference_no", "expense_date", "category", "amount", "shop_id", "description", "vendor",
            }.Select(TargetColumn.Same),
            .. Money.Columns,
        ],
        ConflictColumns = ["merchant_id", "reference_no"],
        ConflictPredicate = "reference_no IS NOT NULL",
        Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveShop],
        Currency = Money,
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("reference_no"),
            RowCheck.Required("category"),
            // An expense may be booked ahead (next month's rent): the business date range only, as an order's date.
            RowCheck.BusinessDate("expense_date"),
            .. NaturalKeys.Shop("fact_expenses_shop_fkey", optional: true),
            .. Money.Checks("fact_expenses_currency_code_fkey", "fact_expenses_exchange_rate_positive"),
        ],
    });
}

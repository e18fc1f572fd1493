using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Expenses into dw.fact_expenses, keyed (merchant_id, reference_no): the partial unique index fact_expenses_reference_unique.</summary>
internal static class ExpensesEntity
{
    public static readonly IngestPlan<ExpenseRow> Plan = new("expenses", new EntityDefinition<ExpenseRow>
    {
        Table = "dw.fact_expenses",
        Fields =
        [
            Field.Id<ExpenseRow>("merchant_id", r => r.MerchantId),
            Field.Text<ExpenseRow>("merchant_code", r => r.MerchantCode),
            Field.Text<ExpenseRow>("reference_no", r => r.ReferenceNo),
            Field.Date<ExpenseRow>("expense_date", r => r.ExpenseDate),
            Field.Text<ExpenseRow>("category", r => r.Category),
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
                "merchant_id", "reference_no", "expense_date", "category", "amount", "shop_id", "currency_code",
                "exchange_rate", "description", "vendor",
            }.Select(TargetColumn.Same),
        ],
        ConflictColumns = ["merchant_id", "reference_no"],
        ConflictPredicate = "reference_no IS NOT NULL",
        Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveShop],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("reference_no"),
            RowCheck.Required("category"),
            .. NaturalKeys.Shop("fact_expenses_shop_fkey", optional: true),
            References.Currency("fact_expenses_currency_code_fkey"),
        ],
    });
}

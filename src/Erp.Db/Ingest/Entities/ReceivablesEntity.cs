using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>
/// Receivables into dw.fact_accounts_receivable, keyed (merchant_id, invoice_no): the partial unique index fact_accounts_receivable_invoice_unique.
/// received_amount and status are not imported: the batch's receivables are settled from their payments (dw.settle_receivables).
/// </summary>
internal static class ReceivablesEntity
{
    /// <summary>A receivable's currency defaults to its shop's (CNY without a shop).</summary>
    private static readonly CurrencyRule Money = new("invoice_date",
        "dw.fact_accounts_receivable AS stored ON stored.merchant_id = t.merchant_id AND stored.invoice_no = t.invoice_no",
        "dw.dim_shops", ["merchant_id", "shop_id"]);

    public static readonly IngestPlan<ReceivableEntryRow> Plan = new("receivables", new EntityDefinition<ReceivableEntryRow>
    {
        Table = "dw.fact_accounts_receivable",
        Fields =
        [
            Field.Id<ReceivableEntryRow>("merchant_id", r => r.MerchantId),
            Field.Text<ReceivableEntryRow>("merchant_code", r => r.MerchantCode),
            Field.Text<ReceivableEntryRow>("invoice_no", r => r.InvoiceNo),
            Field.Date<ReceivableEntryRow>("invoice_date", r => r.InvoiceDate),
            Field.Date<ReceivableEntryRow>("due_date", r => r.DueDate),
            Field.Numeric<ReceivableEntryRow>("amount", r => r.Amount),
            Field.Bigint<ReceivableEntryRow>("shop_id", r => r.ShopId),
            Field.Text<ReceivableEntryRow>("shop_code", r => r.ShopCode),
            Field.Bigint<ReceivableEntryRow>("customer_id", r => r.CustomerId),
            Field.Text<ReceivableEntryRow>("customer_code", r => r.CustomerCode),
            Field.Text<ReceivableEntryRow>("currency_code", r => r.CurrencyCode),
            Field.Numeric<ReceivableEntryRow>("exchange_rate", r => r.ExchangeRate),
        ],
        KeyFields = ["merchant_id", "invoice_no"],
        Columns =
        [
            .. new[] { "merchant_id", "invoice_no", "invoice_date", "due_date", "amount", "shop_id", "customer_id" }.Select(TargetColumn.Same),
            .. Money.Columns,
        ],
        ConflictColumns = ["merchant_id", "invoice_no"],
        ConflictPredicate = "invoice_no IS NOT NULL",
        Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveShop, NaturalKeys.ResolveCustomer],
        Currency = Money,
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("invoice_no"),
            .. NaturalKeys.Shop("fact_accounts_receivable_shop_fkey", optional: true),
            .. NaturalKeys.Customer("fact_accounts_receivable_customer_fkey"),
            .. Money.Checks("fact_accounts_receivable_currency_code_fkey", "fact_accounts_receivable_exchange_rate_positive"),
            // An order's receivable follows its order (dw.post_order_receivables): restated here, the next posting would put the
            // order's amount, shop and customer back.
            new("invoice_no",
                "EXISTS (SELECT 1 FROM dw.fact_accounts_receivable AS r WHERE r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_no AND r.order_id IS NOT NULL)",
                "(SELECT format('invoice_no %s is the receivable of order %s, which posting keeps equal to its order: change the order instead', t.invoice_no, o.order_no) "
                + "FROM dw.fact_accounts_receivable AS r JOIN dw.fact_sales_orders AS o ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date "
                + "WHERE r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_no)"),
            // Restating a receivable that has payments: not below what was received, and in the payments' currency.
            new("amount",
                "t.amount < (SELECT sum(p.amount) FROM dw.fact_accounts_receivable AS r JOIN dw.fact_payment_receipts AS p "
                + "ON p.merchant_id = r.merchant_id AND p.receivable_id = r.receivable_id WHERE r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_no)",
                "(SELECT format('amount %s is less than the %s already received on invoice_no %s', t.amount, sum(p.amount), t.invoice_no) "
                + "FROM dw.fact_accounts_receivable AS r JOIN dw.fact_payment_receipts AS p ON p.merchant_id = r.merchant_id AND p.receivable_id = r.receivable_id "
                + "WHERE r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_no)"),
            new("currency_code",
                "EXISTS (SELECT 1 FROM dw.fact_accounts_receivable AS r JOIN dw.fact_payment_receipts AS p ON p.merchant_id = r.merchant_id AND p.receivable_id = r.receivable_id "
                + "WHERE r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_no AND p.currency_code::text IS DISTINCT FROM t.currency_code)",
                "format('currency_code %s is not the currency of the payments already received on invoice_no %s', coalesce(t.currency_code, 'NULL'), t.invoice_no)"),
        ],
        Post = """
            SELECT dw.settle_receivables(NULL, ARRAY(
                SELECT r.receivable_id FROM pg_temp.ingest_rows AS t
                JOIN dw.fact_accounts_receivable AS r ON r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_no))
            """,
    });
}

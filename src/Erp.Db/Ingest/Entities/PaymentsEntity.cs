using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Payment receipts into dw.fact_payment_receipts, keyed (merchant_id, reference_no); the receivable is found by invoice_no.</summary>
internal static class PaymentsEntity
{
    public static readonly IngestPlan<PaymentRow> Plan = new("payments", new EntityDefinition<PaymentRow>
    {
        Table = "dw.fact_payment_receipts",
        Fields =
        [
            Field.Bigint<PaymentRow>("merchant_id", r => r.MerchantId),
            Field.Text<PaymentRow>("reference_no", r => r.ReferenceNo),
            Field.Date<PaymentRow>("receipt_date", r => r.ReceiptDate),
            Field.Timestamp<PaymentRow>("received_at", r => r.ReceivedAt),
            Field.Numeric<PaymentRow>("amount", r => r.Amount),
            Field.Text<PaymentRow>("currency_code", r => r.CurrencyCode),
            Field.Numeric<PaymentRow>("exchange_rate", r => r.ExchangeRate),
            Field.Text<PaymentRow>("payment_method", r => r.PaymentMethod),
            Field.Text<PaymentRow>("invoice_no", r => r.InvoiceNo),
        ],
        KeyFields = ["merchant_id", "reference_no"],
        Joins = """

                LEFT JOIN dw.fact_accounts_receivable AS r ON r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_no
            """,
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            TargetColumn.Same("reference_no"),
            TargetColumn.Same("receipt_date"),
            TargetColumn.Same("received_at"),
            TargetColumn.Same("amount"),
            TargetColumn.Same("currency_code"),
            TargetColumn.Same("exchange_rate"),
            TargetColumn.Same("payment_method"),
            new("receivable_id", "r.receivable_id", ["invoice_no"]),
        ],
        ConflictColumns = ["merchant_id", "reference_no"],
        ConflictPredicate = "reference_no IS NOT NULL",
        Checks =
        [
            RowCheck.Required("reference_no"),
            new("invoice_no",
                "t.invoice_no IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dw.fact_accounts_receivable AS r WHERE r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_no)",
                "format('invoice_no %s is not a receivable of merchant %s', t.invoice_no, t.merchant_id)",
                "fact_payment_receipts_receivable_fkey"),
            References.Currency("fact_payment_receipts_currency_code_fkey"),
        ],
    });
}

using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>
/// Payment receipts into dw.fact_payment_receipts, keyed (merchant_id, reference_no); the receivable is found by invoice_no or order_no
/// (<see cref="ResolveReceivable"/>) and settled (dw.settle_receivables). An unknown receivable or an over-payment fails the batch.
/// </summary>
internal static class PaymentsEntity
{
    /// <summary>
    /// The receivable each row pays, into the batch's own receivable_id column, for the whole batch at once: by invoice_no when given;
    /// else by order_no, when exactly one receivable of the merchant belongs to an order with that number; NULL when none (or several)
    /// match. Orders are indexed by shop and number, not by number alone, so a look-up per row scanned the merchant's receivables and
    /// their orders (2,000 payments by order_no: 67 s); joined once, the batch's numbers meet the orders in one hash join.
    /// The receivable a stored receipt paid before goes into previous_receivable_id, so that a receipt moved to another invoice is
    /// taken off the one it left when the batch is posted.
    /// </summary>
    private const string ResolveReceivable = """
        ALTER TABLE pg_temp.ingest_rows ADD COLUMN IF NOT EXISTS receivable_id bigint;
        ALTER TABLE pg_temp.ingest_rows ADD COLUMN IF NOT EXISTS previous_receivable_id bigint;
        UPDATE pg_temp.ingest_rows AS t SET previous_receivable_id = p.receivable_id
        FROM dw.fact_payment_receipts AS p
        WHERE p.merchant_id = t.merchant_id AND p.reference_no = t.reference_no AND p.receivable_id IS NOT NULL;
        UPDATE pg_temp.ingest_rows AS t SET receivable_id = r.receivable_id
        FROM dw.fact_accounts_receivable AS r
        WHERE t.invoice_no IS NOT NULL AND r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_no;
        UPDATE pg_temp.ingest_rows AS t SET receivable_id = m.receivable_id
        FROM (SELECT r.merchant_id, o.order_no, min(r.receivable_id) AS receivable_id
              FROM dw.fact_accounts_receivable AS r
              JOIN dw.fact_sales_orders AS o ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date
              WHERE (o.merchant_id, o.order_no) IN (SELECT b.merchant_id, b.order_no FROM pg_temp.ingest_rows AS b
                                                   WHERE b.invoice_no IS NULL AND b.order_no IS NOT NULL)
              GROUP BY r.merchant_id, o.order_no
              HAVING count(*) = 1) AS m
        WHERE t.invoice_no IS NULL AND t.order_no IS NOT NULL AND m.merchant_id = t.merchant_id AND m.order_no = t.order_no
        """;

    /// <summary>A payment's currency defaults to its receivable's (CNY for an unapplied receipt).</summary>
    private static readonly CurrencyRule Money = new("receipt_date",
        "dw.fact_payment_receipts AS stored ON stored.merchant_id = t.merchant_id AND stored.reference_no = t.reference_no",
        "dw.fact_accounts_receivable", ["merchant_id", "receivable_id"]);

    public static readonly IngestPlan<PaymentRow> Plan = new("payments", new EntityDefinition<PaymentRow>
    {
        Table = "dw.fact_payment_receipts",
        Fields =
        [
            Field.Id<PaymentRow>("merchant_id", r => r.MerchantId),
            Field.Text<PaymentRow>("merchant_code", r => r.MerchantCode),
            Field.Text<PaymentRow>("reference_no", r => r.ReferenceNo),
            Field.Date<PaymentRow>("receipt_date", r => r.ReceiptDate),
            Field.Timestamp<PaymentRow>("received_at", r => r.ReceivedAt),
            Field.Numeric<PaymentRow>("amount", r => r.Amount),
            Field.Text<PaymentRow>("currency_code", r => r.CurrencyCode),
            Field.Numeric<PaymentRow>("exchange_rate", r => r.ExchangeRate),
            Field.Code<PaymentRow>("payment_method", r => r.PaymentMethod),
            Field.Text<PaymentRow>("invoice_no", r => r.InvoiceNo),
            Field.Text<PaymentRow>("order_no", r => r.OrderNo),
        ],
        KeyFields = ["merchant_id", "reference_no"],
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            TargetColumn.Same("reference_no"),
            TargetColumn.Same("receipt_date"),
            TargetColumn.Same("received_at"),
            TargetColumn.Same("amount"),
            .. Money.Columns,
            TargetColumn.Same("payment_method"),
            new("receivable_id", "t.receivable_id", ["invoice_no", "order_no"]),
        ],
        ConflictColumns = ["merchant_id", "reference_no"],
        ConflictPredicate = "reference_no IS NOT NULL",
        Resolve = [NaturalKeys.ResolveMerchant, ResolveReceivable],
        Currency = Money,
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("reference_no"),
            RowCheck.BusinessDate("receipt_date"),
            RowCheck.NotAfterToday("receipt_date", "t.receipt_date"),
            new("invoice_no",
                "t.invoice_no IS NOT NULL AND t.receivable_id IS NULL",
                "format('invoice_no %s is not a receivable of merchant %s', t.invoice_no, " + NaturalKeys.MerchantNamed + ")",
                "fact_payment_receipts_receivable_fkey"),
            new("order_no",
                "t.invoice_no IS NULL AND t.order_no IS NOT NULL AND t.receivable_id IS NULL",
                "format('order_no %s is not the order of exactly one receivable of merchant %s: an order has a receivable once it is imported as invoiced "
                + "(is_invoiced and invoice_id); name the receivable by its invoice_no, or give neither for an unapplied receipt', t.order_no, " + NaturalKeys.MerchantNamed + ")",
                "fact_payment_receipts_receivable_fkey"),
            // Over-payment: the receipts of the receivable (other than this batch's references) plus this batch's rows up to
            // this one must not exceed its amount. The earlier receipts are summed for the batch's receivables in one join:
            // summed per row, the test "not one of this batch's references" ran as a scan of the batch per stored receipt
            // (20,000 payments: 38 s).
            new("amount",
                """
                t.row_no IN (
                    SELECT x.row_no FROM (
                        SELECT b.row_no, r.amount AS due,
                               sum(b.amount) OVER (PARTITION BY b.receivable_id ORDER BY b.row_no) + coalesce(e.paid, 0) AS total
                        FROM pg_temp.ingest_rows AS b
                        JOIN dw.fact_accounts_receivable AS r ON r.merchant_id = b.merchant_id AND r.receivable_id = b.receivable_id
                        LEFT JOIN (SELECT p.merchant_id, p.receivable_id, sum(p.amount) AS paid
                                   FROM dw.fact_payment_receipts AS p
                                   WHERE (p.merchant_id, p.receivable_id) IN (SELECT i.merchant_id, i.receivable_id FROM pg_temp.ingest_rows AS i)
                                     AND NOT EXISTS (SELECT 1 FROM pg_temp.ingest_rows AS o
                                                     WHERE o.merchant_id = p.merchant_id AND o.reference_no = p.reference_no)
                                   GROUP BY p.merchant_id, p.receivable_id) AS e
                          ON e.merchant_id = b.merchant_id AND e.receivable_id = b.receivable_id
                    ) AS x
                    WHERE x.total > x.due)
                """,
                "format('amount %s over-pays the receivable of %s: with the payments before it, more than the amount due', t.amount, coalesce('invoice_no ' || t.invoice_no, 'order_no ' || t.order_no))"),
            .. Money.Checks("fact_payment_receipts_currency_code_fkey", "fact_payment_receipts_exchange_rate_positive"),
            // A receipt settles its receivable in the receivable's currency: received_amount and outstanding are in it, so a
            // receipt of 50 USD against a CNY receivable would count as 50 CNY.
            new("currency_code",
                "t.receivable_id IS NOT NULL AND t.currency_code IS DISTINCT FROM (SELECT r.currency_code::text FROM dw.fact_accounts_receivable AS r "
                + "WHERE r.merchant_id = t.merchant_id AND r.receivable_id = t.receivable_id)",
                "(SELECT format('currency_code %s is not the currency of the receivable of %s, %s: a payment settles a receivable in its own currency', "
                + "coalesce(t.currency_code, 'NULL'), coalesce('invoice_no ' || t.invoice_no, 'order_no ' || t.order_no), r.currency_code) "
                + "FROM dw.fact_accounts_receivable AS r WHERE r.merchant_id = t.merchant_id AND r.receivable_id = t.receivable_id)"),
        ],
        // The receivables the batch's receipts pay now, and those they paid before: a receipt moved to another invoice (or
        // made unapplied) leaves its old receivable, whose received_amount would otherwise still count it, twice over.
        Post = """
            SELECT dw.settle_receivables(NULL, ARRAY(
                SELECT p.receivable_id FROM pg_temp.ingest_rows AS t
                JOIN dw.fact_payment_receipts AS p ON p.merchant_id = t.merchant_id AND p.reference_no = t.reference_no
                WHERE p.receivable_id IS NOT NULL
                UNION
                SELECT t.previous_receivable_id FROM pg_temp.ingest_rows AS t WHERE t.previous_receivable_id IS NOT NULL))
            """,
    });
}

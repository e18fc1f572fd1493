using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>
/// Orders into dw.fact_sales_orders, keyed (merchant_id, shop_id, order_no, order_date), then posted (dw.post_orders; the upsert itself sets cost,
/// units and inventory_deducted from the stored lines). Generated CNY columns are never written; currency and rate follow <see cref="CurrencyRule"/>.
/// </summary>
internal static class OrdersEntity
{
    /// <summary>An order's currency defaults to its shop's.</summary>
    private static readonly CurrencyRule Money = new("order_date",
        "dw.fact_sales_orders AS stored ON stored.merchant_id = t.merchant_id AND stored.shop_id = t.shop_id AND stored.order_no = t.order_no AND stored.order_date = t.order_date",
        "dw.dim_shops", ["merchant_id", "shop_id"]);

    /// <summary>The columns written as the row gives them.</summary>
    private static readonly string[] CopiedColumns =
    [
        "merchant_id", "shop_id", "order_no", "order_date", "ordered_at", "gmv", "customer_id", "status",
        "discount_amount", "platform_commission", "payment_fee", "shipping_fee",
        "is_invoiced", "invoice_id", "paid_at", "shipped_at", "delivered_at",
    ];

    public static readonly IngestPlan<OrderRow> Plan = new("orders", Definition(withBatchLines: false));

    /// <summary>
    /// Orders whose lines come in the same call (<see cref="OrderItemsEntity.BatchLines"/>): an order without stored lines takes its cost,
    /// units and inventory_deducted from the batch's lines, so the lines' posting finds it right and does not write it again.
    /// </summary>
    public static readonly IngestPlan<OrderRow> PlanWithItems = new("orders", Definition(withBatchLines: true));

    /// <summary>The stored orders a batch row names by number under another date: those whose order_date the batch corrects.</summary>
    private static string MoveCandidates => CandidatesOf("pg_temp.ingest_rows AS t");

    /// <summary><see cref="MoveCandidates"/> of the rows <c>t</c> of <paramref name="rows"/>, a FROM item: the batch's temp table, or its keys (<see cref="KeyedQuestion"/>).</summary>
    private static string CandidatesOf(string rows) => $"""
        SELECT t.merchant_id, t.shop_id, t.order_no, t.order_date AS new_date, o.order_id, o.order_date AS old_date, o.shop_id AS old_shop_id
        FROM {rows}
        JOIN dw.fact_sales_orders AS o
          ON o.merchant_id = t.merchant_id AND o.shop_id = t.shop_id AND o.order_no = t.order_no AND o.order_date <> t.order_date
        """;

    /// <summary>Whether some row of <paramref name="rows"/> (a FROM item of rows <c>t</c>) names a stored order under another date.</summary>
    private static string MovesAny(string rows) => $"SELECT count(*) > 0 FROM ({CandidatesOf(rows)}) AS c";

    /// <summary>
    /// <see cref="MoveCandidates"/> and the stored orders a row names under the shop it says the order was imported under by mistake
    /// (previous_shop_code): those whose shop the batch corrects. Used only when some row gives previous_shop_code: the second
    /// branch doubled the planning of the move question (over every partition: 5-7 ms more per batch in psql on a loaded machine, for a question nearly every batch asks).
    /// </summary>
    private static string MoveCandidatesWithShops => MoveCandidates + "\n" + """
        UNION ALL
        SELECT t.merchant_id, t.shop_id, t.order_no, t.order_date, o.order_id, o.order_date, o.shop_id
        FROM pg_temp.ingest_rows AS t
        JOIN dw.dim_shops AS p ON p.merchant_id = t.merchant_id AND p.platform_shop_code = t.previous_shop_code AND p.shop_id <> t.shop_id
        JOIN dw.fact_sales_orders AS o ON o.merchant_id = t.merchant_id AND o.shop_id = p.shop_id AND o.order_no = t.order_no
        WHERE t.previous_shop_code IS NOT NULL
        """;

    /// <summary>The move step's UPDATE over the given candidates (see EntityDefinition.Move).</summary>
    private static string MoveOf(string candidates) => $"""
        WITH candidate AS MATERIALIZED ({candidates}),
        repeated AS MATERIALIZED (
            SELECT b.merchant_id, b.shop_id, b.order_no
            FROM pg_temp.ingest_rows AS b
            WHERE (b.merchant_id, b.shop_id, b.order_no) IN (SELECT c.merchant_id, c.shop_id, c.order_no FROM candidate AS c)
            GROUP BY b.merchant_id, b.shop_id, b.order_no
            HAVING count(*) > 1
        )
        UPDATE dw.fact_sales_orders AS d SET order_date = m.new_date, shop_id = m.shop_id
        FROM (
            SELECT c.merchant_id, c.order_id, c.old_date, c.new_date, c.shop_id
            FROM candidate AS c
            WHERE NOT EXISTS (SELECT 1 FROM repeated AS r
                              WHERE r.merchant_id = c.merchant_id AND r.shop_id = c.shop_id AND r.order_no = c.order_no)
              AND NOT EXISTS (SELECT 1 FROM dw.fact_sales_orders AS s
                              WHERE s.merchant_id = c.merchant_id AND s.shop_id IN (c.shop_id, c.old_shop_id) AND s.order_no = c.order_no
                                AND s.order_id <> c.order_id)
        ) AS m
        WHERE d.merchant_id = m.merchant_id AND d.order_id = m.order_id AND d.order_date = m.old_date
        RETURNING d.merchant_id, d.shop_id, d.order_no, d.order_date
        """;

    /// <summary>Re-dates the posted stock movements of the orders the move step moved (<see cref="IngestPlan{TRow}.MovedTable"/>).</summary>
    private const string RedateMoved = $"""
        SELECT dw.redate_order_movements(ARRAY(
            SELECT ROW(o.merchant_id, o.order_id, o.order_date)::dw.order_ref
            FROM {IngestPlan<OrderRow>.MovedTable} AS m
            JOIN dw.fact_sales_orders AS o ON o.merchant_id = m.merchant_id AND o.shop_id = m.shop_id AND o.order_no = m.order_no AND o.order_date = m.order_date
             AND o.order_date {BatchDays.Range}))
        WHERE EXISTS (SELECT 1 FROM {IngestPlan<OrderRow>.MovedTable});

        """;

    /// <summary>
    /// Marks, in one join of the batch with its stored orders (same key) over the batch's days, before the upsert overwrites them:
    /// the rows that give another paid_at or shipped_at (times_corrected), and the rows whose order the posting may have to change
    /// (posts). A time the row leaves out (the file has no such column, or a blank) is not a correction: the re-dating keeps a
    /// movement's time where the order has none. A stored order needs posting only when its status changes (its stock follows
    /// the status) or it is or was invoiced (its receivable follows its amount, currency, shop, customer and status): the rest of
    /// what posting reads (its lines) is posted by the call that writes it, and its times by <see cref="RedateRetimed"/>. A row
    /// without status, in a batch that leaves status out, counts as a change. Only the rows so marked are written.
    /// </summary>
    private const string ResolveStoredChanges = $"""
        ALTER TABLE pg_temp.ingest_rows ADD COLUMN IF NOT EXISTS times_corrected boolean, ADD COLUMN IF NOT EXISTS posts boolean;
        UPDATE pg_temp.ingest_rows AS u
        SET times_corrected = c.times_corrected, posts = c.posts
        FROM (SELECT t.row_no,
                     (t.paid_at IS NOT NULL AND t.paid_at IS DISTINCT FROM o.paid_at)
                     OR (t.shipped_at IS NOT NULL AND t.shipped_at IS DISTINCT FROM o.shipped_at) AS times_corrected,
                     t.status IS DISTINCT FROM o.status OR o.is_invoiced OR t.is_invoiced AS posts
              FROM pg_temp.ingest_rows AS t
              JOIN dw.fact_sales_orders AS o
                ON o.merchant_id = t.merchant_id AND o.shop_id = t.shop_id AND o.order_no = t.order_no AND o.order_date = t.order_date
               AND o.order_date {BatchDays.Range}) AS c
        WHERE u.row_no = c.row_no AND (c.times_corrected OR c.posts)
        """;

    /// <summary>
    /// Re-dates, after the posting, the posted stock movements of the orders whose paid or shipped time the batch corrected
    /// (<see cref="ResolveStoredChanges"/>) without changing what they move: left out are an order the posting wrote a movement for (a
    /// status change is an event, dated when recorded; its earlier movements keep their times). Of an order that shipped, came back and
    /// shipped again only the latest shipment (and reservation) follows the corrected time: the earlier ones are history
    /// (dw.redate_order_movements).
    /// </summary>
    private const string RedateRetimed = $"""

        ;
        SELECT dw.redate_order_movements(ARRAY(
            SELECT ROW(o.merchant_id, o.order_id, o.order_date)::dw.order_ref
            FROM pg_temp.ingest_rows AS t
            JOIN dw.fact_sales_orders AS o ON o.merchant_id = t.merchant_id AND o.shop_id = t.shop_id AND o.order_no = t.order_no AND o.order_date = t.order_date
             AND o.order_date {BatchDays.Range}
            WHERE t.times_corrected
              AND NOT EXISTS (SELECT 1 FROM dw.fact_inventory_transactions AS m
                              WHERE m.merchant_id = o.merchant_id AND m.order_id = o.order_id AND m.order_date = o.order_date
                                AND m.order_id IS NOT NULL AND m.created_at = now())))
        WHERE EXISTS (SELECT 1 FROM pg_temp.ingest_rows AS t WHERE t.times_corrected);
        """;

    private static EntityDefinition<OrderRow> Definition(bool withBatchLines)
    {
        // The lines an order's totals come from: its stored ones, else (with the batch's lines) those of the batch.
        var units = withBatchLines ? "coalesce(lines.item_count, batch.item_count)" : "lines.item_count";
        var cost = withBatchLines ? "coalesce(lines.cost_amount_cny, batch.cost_amount_cny)" : "lines.cost_amount_cny";
        var batchJoin = withBatchLines
            ? $"\n        LEFT JOIN {OrderItemsEntity.BatchLines} AS batch ON batch.merchant_id = t.merchant_id AND batch.shop_id = t.shop_id AND batch.order_no = t.order_no AND batch.order_date = t.order_date"
            : "";
        return new EntityDefinition<OrderRow>
        {
            Table = "dw.fact_sales_orders",
            Fields =
            [
                Field.Id<OrderRow>("merchant_id", r => r.MerchantId),
                Field.Text<OrderRow>("merchant_code", r => r.MerchantCode),
                Field.Id<OrderRow>("shop_id", r => r.ShopId),
                Field.Text<OrderRow>("shop_code", r => r.ShopCode),
                Field.Text<OrderRow>("order_no", r => r.OrderNo),
                Field.Date<OrderRow>("order_date", r => r.OrderDate),
                Field.Timestamp<OrderRow>("ordered_at", r => r.OrderedAt),
                Field.Numeric<OrderRow>("gmv", r => r.Gmv),
                Field.Bigint<OrderRow>("customer_id", r => r.CustomerId),
                Field.Text<OrderRow>("customer_code", r => r.CustomerCode),
                Field.Code<OrderRow>("status", r => r.Status),
                Field.Text<OrderRow>("currency_code", r => r.CurrencyCode),
                Field.Integer<OrderRow>("item_count", r => r.ItemCount),
                Field.Numeric<OrderRow>("discount_amount", r => r.DiscountAmount),
                Field.Numeric<OrderRow>("exchange_rate", r => r.ExchangeRate),
                Field.Numeric<OrderRow>("platform_commission", r => r.PlatformCommission),
                Field.Numeric<OrderRow>("payment_fee", r => r.PaymentFee),
                Field.Numeric<OrderRow>("shipping_fee", r => r.ShippingFee),
                Field.Numeric<OrderRow>("cost_amount_cny", r => r.CostAmountCny),
                Field.Boolean<OrderRow>("is_invoiced", r => r.IsInvoiced),
                Field.Text<OrderRow>("invoice_id", r => r.InvoiceId),
                Field.Boolean<OrderRow>("is_paid", r => r.IsPaid),
                Field.Text<OrderRow>("payment_voucher_id", r => r.PaymentVoucherId),
                Field.Timestamp<OrderRow>("paid_at", r => r.PaidAt),
                Field.Timestamp<OrderRow>("shipped_at", r => r.ShippedAt),
                Field.Timestamp<OrderRow>("delivered_at", r => r.DeliveredAt),
                Field.Text<OrderRow>("previous_shop_code", r => r.PreviousShopCode),
            ],
            KeyFields = ["merchant_id", "shop_id", "order_no", "order_date"],
            // An order already loaded with lines keeps the cost and units of its lines (dw.order_line_totals), and its
            // inventory_deducted follows its status, lines and unlined movements (dw.stock_deducted), so re-importing it
            // unchanged writes nothing and posting need not revisit it (totals: false). A new order has no lines or
            // movements yet: the WHERE (kept in the subquery by OFFSET 0) becomes a one-time filter, so the functions run
            // only for stored orders, not once per row of a batch of new ones.
            Joins = $"""

                    LEFT JOIN dw.fact_sales_orders AS o ON o.merchant_id = t.merchant_id AND o.shop_id = t.shop_id AND o.order_no = t.order_no AND o.order_date = t.order_date
                     AND o.order_date {BatchDays.Range}
                    LEFT JOIN LATERAL (SELECT * FROM dw.order_line_totals(o.merchant_id, o.order_id, o.order_date, {BatchDays.First}, {BatchDays.Last}) WHERE o.order_id IS NOT NULL OFFSET 0) AS lines ON true
                    LEFT JOIN LATERAL (SELECT * FROM dw.order_unlined_shipped(o.merchant_id, o.order_id, o.order_date, {BatchDays.First}, {BatchDays.Last}) WHERE o.order_id IS NOT NULL OFFSET 0) AS unlined ON true
                """ + batchJoin,
            Columns =
            [
                .. CopiedColumns.Select(TargetColumn.Same),
                .. Money.Columns,
                new("item_count", $"coalesce({units}, t.item_count)", ["item_count"]),
                // Settlement marks an order paid (dw.settle_receivables) and never unmarks it: a file without is_paid keeps that, so
                // re-importing it unchanged writes nothing.
                new("is_paid", "t.is_paid OR coalesce(o.is_paid, false)", ["is_paid"]),
                new("payment_voucher_id", "coalesce(t.payment_voucher_id, o.payment_voucher_id)", ["payment_voucher_id"]),
                new("cost_amount_cny", $"coalesce({cost}, t.cost_amount_cny)", ["cost_amount_cny"]),
                new("inventory_deducted", $"dw.stock_deducted(t.status, {units}, unlined.shipped)", ["status"]),
            ],
            ConflictColumns = ["merchant_id", "shop_id", "order_no", "order_date"],
            DaysField = "order_date",
            StoredRow = "o",
            LocksMerchants = true,
            WriteOrder = "t.merchant_id, t.order_date, t.shop_id, t.order_no",
            // A corrected order_date (or a previous_shop_code: a corrected shop) moves the one stored order (its lines, stock movements, receivable and expenses follow by
            // dw.cascade_order_keys), when the batch holds that order once and it is stored once under another date.
            // The candidates are found first, by one hash join of the batch with the orders on number and a differing date: usually
            // none, and the rules below then cost nothing. Grouping the whole batch and counting every stored number first took
            // 0.8 s per 200,000 rows, four times the join. The rules are asked of the few candidates only: planned as one row, a
            // test against the whole batch ran as a scan of it per candidate, hence the batch's repeats are collected first.
            // Asked first, on its own: planning the UPDATE over every partition of the orders took 60-75 ms, more than the rest of
            // a one-order batch's write, for a step that usually moves nothing. Counted, not asked as EXISTS: planned to stop at a
            // first candidate, which a batch without one never finds, EXISTS probed each partition per row (200,000 stored orders
            // imported again: 35 s, against 0.14 s for the count's hash join).
            MoveWhen = MovesAny("pg_temp.ingest_rows AS t"),
            // A batch of a few orders asks it of its keys, by a prepared statement whose plan outlives the batch: planned over every
            // partition per batch, it was a third of a one-order call (KeyedQuestion).
            MoveWhenOf = MovesAny,
            Move = MoveOf(MoveCandidates),
            MoveField = "previous_shop_code",
            MoveWhenWithField = $"SELECT count(*) > 0 FROM ({MoveCandidatesWithShops}) AS c",
            MoveWithField = MoveOf(MoveCandidatesWithShops),
            Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveShop, NaturalKeys.ResolveCustomer, ResolveStoredChanges],
            Currency = Money,
            Checks =
            [
                .. NaturalKeys.Merchant(),
                RowCheck.Required("order_no"),
                RowCheck.BusinessDate("order_date"),
                .. NaturalKeys.Shop("fact_sales_orders_shop_fkey"),
                .. NaturalKeys.Customer("fact_sales_orders_customer_fkey"),
                .. Money.Checks("fact_sales_orders_currency_code_fkey", "fact_sales_orders_exchange_rate_positive"),
                // The business day is cut in the shop's time zone, or the merchant's when the shop has none (dw.dim_shops.timezone).
                // Asked as EXISTS, a semi-join of the batch with the few shops: a zone looked up per row took 0.4 s per 200,000 rows.
                // A shop that is not the merchant's is reported by the shop check; this one then stays silent.
                new("order_date",
                    "EXISTS (SELECT 1 FROM dw.dim_shops AS s JOIN dw.dim_merchants AS m ON m.merchant_id = s.merchant_id "
                    + "WHERE s.merchant_id = t.merchant_id AND s.shop_id = t.shop_id "
                    + "AND t.order_date <> (t.ordered_at AT TIME ZONE coalesce(s.timezone, m.timezone))::date)",
                    "(SELECT format('order_date %s does not match ordered_at %s, which is %s in the shop''s time zone %s', t.order_date, t.ordered_at, "
                    + "(t.ordered_at AT TIME ZONE z.zone)::date, z.zone) FROM (SELECT coalesce(s.timezone, m.timezone) AS zone FROM dw.dim_merchants AS m "
                    + "LEFT JOIN dw.dim_shops AS s ON s.merchant_id = m.merchant_id AND s.shop_id = t.shop_id WHERE m.merchant_id = t.merchant_id) AS z)"),
                // An order number names one order of its shop. The key holds order_date (the partitions' key), so a file giving one
                // number under two dates would store two orders, each with its receivable, and a payment by that number would fit
                // neither; a corrected date is given once (the move step then moves the stored order). The batch's numbers under
                // more than one date are collected once, by hashing: 0.2 s per 200,000 rows (psql, 2026-12-07), a twentieth of ingest.new.
                new("order_date",
                    "t.order_no ~ '[^[:space:]]' AND (t.merchant_id, t.shop_id, t.order_no) IN (SELECT b.merchant_id, b.shop_id, b.order_no FROM pg_temp.ingest_rows AS b "
                    + "GROUP BY b.merchant_id, b.shop_id, b.order_no HAVING min(b.order_date) <> max(b.order_date))",
                    "(SELECT format('order_no %s is in this file under more than one order_date (%s): an order number names one order of its shop; give it once, under its date', "
                    + "t.order_no, string_agg(DISTINCT b.order_date::text, ', ')) FROM pg_temp.ingest_rows AS b "
                    + "WHERE b.merchant_id = t.merchant_id AND b.shop_id = t.shop_id AND b.order_no = t.order_no)"),
                // A shop correction names a shop of the merchant, and cannot merge two stored orders: when the new shop has the
                // order too, the wrong one is to be cancelled instead (the move step would leave both).
                new("previous_shop_code",
                    "t.previous_shop_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dw.dim_shops AS s WHERE s.merchant_id = t.merchant_id AND s.platform_shop_code = t.previous_shop_code)",
                    "format('previous_shop_code %s is not a shop of merchant %s', t.previous_shop_code, " + NaturalKeys.MerchantNamed + ")",
                    "fact_sales_orders_shop_fkey") { OnlyWhenGiven = "previous_shop_code" },
                new("previous_shop_code",
                    """
                    t.previous_shop_code IS NOT NULL AND EXISTS (
                        SELECT 1 FROM dw.dim_shops AS p JOIN dw.fact_sales_orders AS o ON o.merchant_id = p.merchant_id AND o.shop_id = p.shop_id
                        WHERE p.merchant_id = t.merchant_id AND p.platform_shop_code = t.previous_shop_code AND p.shop_id <> t.shop_id AND o.order_no = t.order_no)
                    AND EXISTS (SELECT 1 FROM dw.fact_sales_orders AS s WHERE s.merchant_id = t.merchant_id AND s.shop_id = t.shop_id AND s.order_no = t.order_no)
                    """,
                    "format('order_no %s is stored under shop %s and under previous_shop_code %s: import the wrong one as cancelled instead of moving it', "
                    + "t.order_no, coalesce(t.shop_code, t.shop_id::text), t.previous_shop_code)") { OnlyWhenGiven = "previous_shop_code" },
                // An invoiced order's invoice_id becomes its receivable's invoice_no (dw.post_order_receivables), unique per merchant:
                // two invoiced orders of the file with one invoice_id, or one a receivable of another order (or none) already has,
                // would fail the posting with a unique violation naming no row. Repeats are found by hashing the invoices (numbering
                // them in order sorted the whole batch, twice as long); a receivable's order is joined, not probed per row (a file of
                // 168,000 invoiced orders imported again: 0.5 s instead of 3 s; 200 of them: 1 ms, by index).
                new("invoice_id",
                    """
                    t.is_invoiced AND t.invoice_id IS NOT NULL AND EXISTS (
                        SELECT 1 FROM (SELECT b.merchant_id, b.invoice_id, min(b.row_no) AS first_row FROM pg_temp.ingest_rows AS b
                                       WHERE b.is_invoiced AND b.invoice_id IS NOT NULL
                                       GROUP BY b.merchant_id, b.invoice_id HAVING count(*) > 1) AS d
                        WHERE d.merchant_id = t.merchant_id AND d.invoice_id = t.invoice_id AND t.row_no > d.first_row)
                    """,
                    "format('invoice_id %s is also the invoice of an earlier row of this file; an invoice belongs to one order', t.invoice_id)") { OnlyWhenGiven = "invoice_id" },
                new("invoice_id",
                    """
                    t.is_invoiced AND t.invoice_id IS NOT NULL AND EXISTS (
                        SELECT 1 FROM dw.fact_accounts_receivable AS r
                        LEFT JOIN dw.fact_sales_orders AS o ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date
                        WHERE r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_id
                          AND (o.order_id IS NULL OR o.order_no <> t.order_no
                               OR (o.shop_id <> t.shop_id AND NOT EXISTS (SELECT 1 FROM dw.dim_shops AS p WHERE p.merchant_id = t.merchant_id
                                                                          AND p.shop_id = o.shop_id AND p.platform_shop_code = t.previous_shop_code))))
                    """,
                    "format('invoice_id %s is already the invoice_no of another receivable of merchant %s; an invoice belongs to one order', t.invoice_id, " + NaturalKeys.MerchantNamed + ")") { OnlyWhenGiven = "invoice_id" },
                // The receivable's amount follows the order's gmv (dw.post_order_receivables): not below what its payments
                // already brought in, or its balance would turn negative. Found by its invoice number (the check above keeps it this
                // order's), a probe of one small index per invoiced row.
                new("gmv",
                    """
                    t.is_invoiced AND t.invoice_id IS NOT NULL AND dw.is_valid_sale(coalesce(t.status, 'pending')) AND EXISTS (
                        SELECT 1 FROM dw.fact_accounts_receivable AS r
                        WHERE r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_id AND r.order_id IS NOT NULL
                          AND r.received_amount > t.gmv)
                    """,
                    "(SELECT format('gmv %s is less than the %s already received on its invoice %s: correct the payments first', t.gmv, r.received_amount, t.invoice_id) "
                    + "FROM dw.fact_accounts_receivable AS r WHERE r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_id)") { OnlyWhenGiven = "invoice_id" },
                // Nor in another currency than its receipts: received_amount is their sum in the receivable's currency, so 60 USD
                // received on an order turned EUR would count as 60 EUR. (t.currency_code is the stored one when the file has none.)
                // A row that does not say the order is invoiced is held by dw.post_order_receivables, which fails the batch.
                new("currency_code",
                    """
                    t.is_invoiced AND t.invoice_id IS NOT NULL AND EXISTS (
                        SELECT 1 FROM dw.fact_accounts_receivable AS r
                        WHERE r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_id AND r.order_id IS NOT NULL
                          AND r.received_amount > 0 AND r.currency_code::text IS DISTINCT FROM t.currency_code)
                    """,
                    "(SELECT format('currency_code %s is not the currency of the %s %s already received on its invoice %s: correct the payments first', "
                    + "t.currency_code, r.received_amount, r.currency_code, t.invoice_id) "
                    + "FROM dw.fact_accounts_receivable AS r WHERE r.merchant_id = t.merchant_id AND r.invoice_no = t.invoice_id)") { OnlyWhenGiven = "invoice_id" },
            ],
            // Posted are the orders the upsert wrote (updated_at = now(): it writes only rows that differ, and the trigger stamps every
            // row it writes; one it left as it was was posted by the call that last wrote it) that can need it: an invoiced one (its
            // receivable), a stored one whose status changed or that was invoiced (ResolveStoredChanges), one the move step moved. An
            // order this batch inserted has no lines or movements yet, so only its receivable can need posting. The rest is left out:
            // 200,000 new orders took 0.7 s of posting that found nothing, 100,000 stored ones whose amounts changed 1.4 s.
            // An order whose order_date the batch corrected (the move step recorded it) takes its posted stock movements to its
            // new dates first (dw.redate_order_movements). The one-time EXISTS keeps the usual batch, which moved nothing, from
            // reading anything for it.
            // Then an order whose paid or shipped time the batch corrected, and whose posting wrote no movement, takes its posted
            // movements to its corrected times (RedateRetimed, the same function): re-posting, or the file again, then changes nothing.
            Post = RedateMoved + PostingSql.Orders($"""
                SELECT o.merchant_id, o.order_id, o.order_date
                FROM pg_temp.ingest_rows AS t
                JOIN dw.fact_sales_orders AS o ON o.merchant_id = t.merchant_id AND o.shop_id = t.shop_id AND o.order_no = t.order_no AND o.order_date = t.order_date
                 AND o.order_date {BatchDays.Range}
                WHERE o.updated_at = now()
                  AND (o.is_invoiced OR t.posts
                       OR EXISTS (SELECT 1 FROM {IngestPlan<OrderRow>.MovedTable} AS m
                                  WHERE m.merchant_id = o.merchant_id AND m.shop_id = o.shop_id AND m.order_no = o.order_no AND m.order_date = o.order_date))
                """) + RedateRetimed,
            // So a batch that changed no status and holds no invoiced, moved or re-timed order posts nothing, and skips the posting's
            // statistics too (200,000 new orders: 0.3 s of ANALYZE). So does a file imported again unchanged.
            PostsWhen = $"""
                SELECT EXISTS (SELECT 1 FROM pg_temp.ingest_rows AS t WHERE t.is_invoiced OR t.posts OR t.times_corrected)
                    OR EXISTS (SELECT 1 FROM {IngestPlan<OrderRow>.MovedTable})
                """,
            PostsChangedRowsOnly = true,
        };
    }
}

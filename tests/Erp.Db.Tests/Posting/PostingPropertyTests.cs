using System.Globalization;
using Erp.Db.Ingest;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

/// <summary>
/// Random order lifecycles (any status after any other, lines changing quantity and product, new and stored orders with their
/// lines in one call, orders imported again with other amounts in the same status, purchases, payments; every other order never
/// invoiced), each step followed by the reconciliation invariants of the books, which must hold whatever the history, and by a
/// re-post of everything, which must change nothing: the order import posts only the orders that can need it, and none it skips may.
/// </summary>
public class PostingPropertyTests
{
    private static readonly string[] Statuses = ["pending", "paid", "processing", "shipped", "delivered", "completed", "cancelled", "refunded", "returned"];
    private static readonly string[] Skus = ["A-1", "A-2"];

    /// <summary>Each row names a broken invariant; none = the books reconcile.</summary>
    private const string Violations = """
        WITH opening(product_id, on_hand) AS (VALUES (100::bigint, 5), (300::bigint, 0)),
        moves AS (
            SELECT product_id,
                   coalesce(sum(quantity_change) FILTER (WHERE transaction_type NOT IN ('reserve', 'release')), 0) AS on_hand,
                   coalesce(sum(quantity_change) FILTER (WHERE transaction_type IN ('reserve', 'release')), 0) AS reserved
            FROM dw.fact_inventory_transactions WHERE merchant_id = 1 GROUP BY product_id
        ),
        lines AS (
            SELECT i.order_id, i.line_no, i.product_id,
                   CASE WHEN o.status IN ('paid', 'processing') THEN i.quantity ELSE 0 END AS reserved,
                   CASE WHEN o.status IN ('shipped', 'delivered', 'completed') THEN i.quantity ELSE 0 END AS shipped
            FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
            WHERE i.merchant_id = 1
        ),
        posted AS (
            SELECT order_id, line_no, product_id,
                   coalesce(sum(quantity_change) FILTER (WHERE transaction_type IN ('reserve', 'release')), 0) AS reserved,
                   coalesce(-sum(quantity_change) FILTER (WHERE transaction_type IN ('sale_out', 'return_in')), 0) AS shipped
            FROM dw.fact_inventory_transactions WHERE merchant_id = 1 AND line_no IS NOT NULL GROUP BY order_id, line_no, product_id
        )
        SELECT format('position %s: on hand %s - short %s <> opening %s + moves %s', f.product_id, f.quantity_on_hand, f.shortage_on_hand, op.on_hand, m.on_hand)
        FROM dw.fact_inventory AS f JOIN opening AS op USING (product_id) LEFT JOIN moves AS m USING (product_id)
        WHERE f.quantity_on_hand - f.shortage_on_hand <> op.on_hand + coalesce(m.on_hand, 0)
        UNION ALL
        SELECT format('position %s: reserved %s + short %s <> reserve moves %s', f.product_id, f.quantity_reserved, f.shortage_reserved, m.reserved)
        FROM dw.fact_inventory AS f LEFT JOIN moves AS m USING (product_id)
        WHERE f.quantity_reserved + f.shortage_reserved <> coalesce(m.reserved, 0)
        UNION ALL
        SELECT format('line %s/%s product %s: target %s/%s, posted %s/%s', coalesce(l.order_id, p.order_id), coalesce(l.line_no, p.line_no),
                      coalesce(l.product_id, p.product_id), l.reserved, l.shipped, p.reserved, p.shipped)
        FROM lines AS l FULL JOIN posted AS p USING (order_id, line_no, product_id)
        WHERE (coalesce(l.reserved, 0), coalesce(l.shipped, 0)) <> (coalesce(p.reserved, 0), coalesce(p.shipped, 0))
        UNION ALL
        SELECT format('order %s: cost %s, units %s, profit %s', o.order_no, o.cost_amount_cny, o.item_count, o.net_profit_cny)
        FROM dw.fact_sales_orders AS o
        JOIN (SELECT order_id, sum(cost_amount) AS cost, sum(quantity) AS units FROM dw.fact_order_items GROUP BY order_id) AS c USING (order_id)
        WHERE (o.cost_amount_cny, o.item_count) <> (c.cost, c.units) OR o.net_profit_cny <> o.gmv_cny - o.fees_cny - c.cost
        UNION ALL
        SELECT format('order %s: inventory_deducted %s', o.order_no, o.inventory_deducted)
        FROM dw.fact_sales_orders AS o
        WHERE o.merchant_id = 1 AND o.inventory_deducted <> coalesce((SELECT -sum(t.quantity_change) > 0 FROM dw.fact_inventory_transactions AS t
              WHERE t.order_id = o.order_id AND t.transaction_type IN ('sale_out', 'return_in')), false)
        UNION ALL
        SELECT 'receivables: outstanding <> invoiced - applied'
        WHERE (SELECT coalesce(sum(outstanding_amount), 0) FROM dw.fact_accounts_receivable)
           <> (SELECT coalesce(sum(amount), 0) FROM dw.fact_accounts_receivable) - (SELECT coalesce(sum(amount), 0) FROM dw.fact_payment_receipts WHERE receivable_id IS NOT NULL)
        UNION ALL
        SELECT format('receivable %s: received %s <> receipts %s', r.invoice_no, r.received_amount, x.amount)
        FROM dw.fact_accounts_receivable AS r
        LEFT JOIN (SELECT receivable_id, sum(amount) AS amount FROM dw.fact_payment_receipts GROUP BY receivable_id) AS x USING (receivable_id)
        WHERE r.received_amount <> coalesce(x.amount, 0)
        UNION ALL
        SELECT format('order %s: %s fee expense rows, fees %s', o.order_no, count(e.*), o.fees_cny)
        FROM dw.fact_sales_orders AS o
        LEFT JOIN dw.order_fee_expenses(ARRAY[1], '-infinity', 'infinity') AS e ON e.order_id = o.order_id AND e.merchant_id = o.merchant_id
        WHERE o.merchant_id = 1
        GROUP BY o.order_no, o.platform_commission, o.payment_fee, o.shipping_fee, o.fees_cny
        HAVING count(e.*) <> (o.platform_commission > 0)::int + (o.payment_fee > 0)::int + (o.shipping_fee > 0)::int
            OR coalesce(sum(e.amount), 0) <> o.platform_commission + o.payment_fee + o.shipping_fee
            OR coalesce(sum(e.amount_cny), 0) <> o.fees_cny
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Random_lifecycles_keep_the_books_reconciled_and_reposting_changes_nothing(int seed)
    {
        var random = new Random(seed);
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("INSERT INTO dw.dim_products (product_id, merchant_id, sku, product_name, unit_cost) VALUES (300, 1, 'A-2', 'Plate', 4)");
        var ingest = new Ingestor(db.DataSource);
        var erp = new ErpDatabase(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 5)]);
        var orders = Enumerable.Range(1, 4).Select(i => $"P-{i}").ToList();
        await ingest.UpsertOrdersAsync(orders.Select(o => Invoiced(Order(o, "pending"))));
        var receipts = 0;

        for (var step = 0; step < 14; step++)
        {
            var action = random.Next(7);
            var what = action switch
            {
                0 or 1 => await ChangeStatusesAsync(),
                2 => await ChangeLinesAsync(),
                3 => await PurchaseAsync(),
                4 => await ChangeOrdersWithLinesAsync(),
                5 => await ChangeAmountsAsync(),
                _ => await PayAsync(),
            };

            var broken = await ViolationsAsync(db);
            Assert.True(broken.Count == 0, $"seed {seed} step {step} ({what}): {string.Join("; ", broken)}");
            var again = await erp.PostAsync();
            Assert.True(again.NothingChanged, $"seed {seed} step {step} ({what}): re-posting changed {again}");
        }

        async Task<string> ChangeStatusesAsync()
        {
            var rows = orders.Where(_ => random.Next(2) == 0).Select(o => Invoiced(Order(o, Statuses[random.Next(Statuses.Length)])) with
            {
                // Fees with cents: at the orders' rate of 7.1 most convert to a third decimal, so rounding each fee
                // alone would not add up to the order's fees_cny.
                PlatformCommission = random.Next(300) / 100m,
                PaymentFee = random.Next(3) == 0 ? 0m : random.Next(100) / 100m,
                ShippingFee = random.Next(200) / 100m,
            }).ToList();
            await ingest.UpsertOrdersAsync(rows);
            return "statuses " + string.Join(",", rows.Select(r => $"{r.OrderNo}={r.Status}"));
        }

        async Task<string> ChangeLinesAsync()
        {
            var order = orders[random.Next(orders.Count)];
            var rows = Enumerable.Range(1, random.Next(1, 3)).Select(line => Line(order, line, random.Next(1, 6), Skus[random.Next(2)])).ToList();
            await ingest.UpsertOrderItemsAsync(rows);
            return $"lines of {order}: " + string.Join(",", rows.Select(r => $"{r.LineNo}:{r.Sku}x{r.Quantity}"));
        }

        // Some stored orders and a new one, each in any status, with 0-2 lines, in one call.
        async Task<string> ChangeOrdersWithLinesAsync()
        {
            var chosen = orders.Where(_ => random.Next(3) == 0).Append($"P-{orders.Count + 1}").ToList();
            orders.Add(chosen[^1]);
            var rows = chosen.Select(o => Invoiced(Order(o, Statuses[random.Next(Statuses.Length)]))).ToList();
            var lines = chosen.SelectMany(o => Enumerable.Range(1, random.Next(3)).Select(line => Line(o, line, random.Next(1, 6), Skus[random.Next(2)]))).ToList();
            await ingest.UpsertOrdersWithItemsAsync(rows, lines);
            return "orders with lines " + string.Join(",", rows.Select(r => $"{r.OrderNo}={r.Status}"))
                + ": " + string.Join(",", lines.Select(l => $"{l.OrderNo}/{l.LineNo}:{l.Sku}x{l.Quantity}"));
        }

        // Stored orders again in the status they have, with another amount and fees: what the posting reads of them is their
        // receivable (invoiced ones) alone.
        async Task<string> ChangeAmountsAsync()
        {
            var chosen = orders.Where(_ => random.Next(2) == 0).ToList();
            var rows = new List<OrderRow>();
            foreach (var order in chosen)
            {
                var status = await db.ScalarAsync<string>($"SELECT status FROM dw.fact_sales_orders WHERE order_no = '{order}'");
                var received = await db.ScalarAsync<decimal?>($"SELECT received_amount FROM dw.fact_accounts_receivable WHERE invoice_no = 'INV-{order}'") ?? 0;
                rows.Add(Invoiced(Order(order, status!, gmv: Math.Max(received, 60 + random.Next(80)))) with { ShippingFee = random.Next(200) / 100m });
            }
            await ingest.UpsertOrdersAsync(rows);
            return "amounts " + string.Join(",", rows.Select(r => $"{r.OrderNo}={r.Gmv}"));
        }

        async Task<string> PurchaseAsync()
        {
            var sku = Skus[random.Next(2)];
            var quantity = random.Next(1, 8);
            await ingest.UpsertPurchasesAsync([new(1, $"PO-{seed}-{receipts++}", sku, quantity, random.Next(5, 15), Day)]);
            return $"purchase {sku}x{quantity}";
        }

        async Task<string> PayAsync()
        {
            var order = orders[random.Next(orders.Count)];
            if (!IsInvoiced(order))
            {
                return $"no payment for {order} (not invoiced)";
            }
            var outstanding = await db.ScalarAsync<decimal>($"SELECT outstanding_amount FROM dw.fact_accounts_receivable WHERE invoice_no = 'INV-{order}'");
            if (outstanding <= 0)
            {
                return $"no payment for {order}";
            }
            var amount = Math.Min(outstanding, random.Next(1, 80));
            await ingest.UpsertPaymentsAsync([new(1, $"BANK-{seed}-{receipts++}", Day, Morning.AddDays(10), amount) { CurrencyCode = "USD", ExchangeRate = 7.1m, OrderNo = order }]);
            return $"payment {amount} for {order}";
        }
    }

    /// <summary>Every other order (odd numbers) is invoiced, under its own invoice; the others never are.</summary>
    private static bool IsInvoiced(string orderNo) => int.Parse(orderNo[2..], CultureInfo.InvariantCulture) % 2 == 1;

    private static OrderRow Invoiced(OrderRow order) =>
        IsInvoiced(order.OrderNo) ? order with { IsInvoiced = true, InvoiceId = "INV-" + order.OrderNo } : order;

    private static async Task<List<string>> ViolationsAsync(TestDatabase db)
    {
        await using var command = db.DataSource.CreateCommand(Violations);
        await using var reader = await command.ExecuteReaderAsync();
        var found = new List<string>();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }
        return found;
    }
}

using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Stock counts into dw.fact_stock_counts, keyed (merchant_id, product of sku, warehouse_code, counted_at), then posted (dw.post_stock_counts).</summary>
internal static class StockCountsEntity
{
    /// <summary>
    /// A count known by its day alone (counted_on) is taken at that day's last second in the merchant's zone, the zone its movements
    /// are dated in: read in UTC instead, a count of Asia/Shanghai's day would be dated 08:00 the next morning, and the next
    /// morning's shipments taken as counted.
    /// </summary>
    private const string CountedOnDayEnd = """
        UPDATE pg_temp.ingest_rows AS t SET counted_at = ((t.counted_on + 1)::timestamp - interval '1 second') AT TIME ZONE m.timezone
        FROM dw.dim_merchants AS m
        WHERE t.counted_on IS NOT NULL AND m.merchant_id = t.merchant_id
        """;

    public static readonly IngestPlan<StockCountRow> Plan = new("stock-counts", new EntityDefinition<StockCountRow>
    {
        Table = "dw.fact_stock_counts",
        Fields =
        [
            Field.Id<StockCountRow>("merchant_id", r => r.MerchantId),
            Field.Text<StockCountRow>("merchant_code", r => r.MerchantCode),
            Field.Text<StockCountRow>("sku", r => r.Sku),
            Field.Integer<StockCountRow>("counted_quantity", r => r.CountedQuantity),
            Field.Timestamp<StockCountRow>("counted_at", r => r.CountedAt),
            Field.Code<StockCountRow>("warehouse_code", r => r.WarehouseCode),
            Field.Date<StockCountRow>("counted_on", r => r.CountedOn),
        ],
        KeyFields = ["merchant_id", "sku", "warehouse_code", "counted_at"],
        Joins = """

                JOIN dw.dim_products AS p ON p.merchant_id = t.merchant_id AND p.sku = t.sku
            """,
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            new("product_id", "p.product_id", ["sku"]),
            TargetColumn.Same("warehouse_code"),
            TargetColumn.Same("counted_at"),
            // A posted count is history: the import never changes its quantity.
            new("counted_quantity", "t.counted_quantity", ["counted_quantity"]) { InsertOnly = true },
        ],
        ConflictColumns = ["merchant_id", "product_id", "warehouse_code", "counted_at"],
        Resolve = [NaturalKeys.ResolveMerchant, CountedOnDayEnd, NaturalKeys.ResolveWarehouse],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("sku"),
            .. NaturalKeys.Warehouse(),
            // A count is of stock already counted: one dated ahead would stand as the latest, so that every real count and shipment
            // before its time would come before it. Today's day alone (its last second) is ahead too: the day's later shipments,
            // imported afterwards, would be taken as counted. Shown in the merchant's zone, the zone a day alone is read in.
            // Five minutes' grace for a client clock a little ahead of the server's.
            new("counted_at", "t.counted_at > now() + interval '5 minutes'",
                "(SELECT format('counted_at %s is later than now, %s in the merchant''s time zone %s: a count records stock already counted; "
                + "give the time it was counted (a day alone is read as 23:59:59 that day)', "
                + "(t.counted_at AT TIME ZONE m.timezone)::timestamp(0), (now() AT TIME ZONE m.timezone)::timestamp(0), m.timezone) "
                + "FROM dw.dim_merchants AS m WHERE m.merchant_id = t.merchant_id)"),
            new("counted_at", "t.counted_at < TIMESTAMPTZ '2000-01-01 00:00:00+00'", "format('counted_at %s is before 2000-01-01, the first business date', t.counted_at)"),
            References.Sku("fact_stock_counts_product") with { Constraint = null },
            // A posted count is history: restating it with another quantity would be left out in silence ("unchanged").
            new("counted_quantity",
                """
                EXISTS (SELECT 1 FROM dw.fact_stock_counts AS c JOIN dw.dim_products AS p ON p.merchant_id = c.merchant_id AND p.product_id = c.product_id
                        WHERE c.merchant_id = t.merchant_id AND p.sku = t.sku AND c.warehouse_code = t.warehouse_code AND c.counted_at = t.counted_at
                          AND c.counted_quantity IS DISTINCT FROM t.counted_quantity)
                """,
                "(SELECT format('counted_quantity %s: the count of %s in %s at %s is posted already with %s; a posted count is not changed, import a new count with a later counted_at', "
                + "t.counted_quantity, t.sku, t.warehouse_code, t.counted_at, c.counted_quantity) "
                + "FROM dw.fact_stock_counts AS c JOIN dw.dim_products AS p ON p.merchant_id = c.merchant_id AND p.product_id = c.product_id "
                + "WHERE c.merchant_id = t.merchant_id AND p.sku = t.sku AND c.warehouse_code = t.warehouse_code AND c.counted_at = t.counted_at)"),
            // A count older than one already posted for its position adjusts nothing (dw.post_stock_counts: the newer count
            // stands). In a batch told to refuse such late counts (@refuseLateCounts, IngestOptions.RefuseLateCounts) a new one is an
            // error rather than history stored without a word; the same count again is unchanged, as always. One look at the
            // position's counts: the latest posted one, and whether this one is stored already.
            new("counted_at",
                """
                CAST(@refuseLateCounts AS boolean)
                AND (SELECT max(c.counted_at) FILTER (WHERE c.posted_at IS NOT NULL) > t.counted_at AND NOT bool_or(c.counted_at = t.counted_at)
                     FROM dw.fact_stock_counts AS c JOIN dw.dim_products AS p ON p.merchant_id = c.merchant_id AND p.product_id = c.product_id
                     WHERE c.merchant_id = t.merchant_id AND p.sku = t.sku AND c.warehouse_code = t.warehouse_code)
                """,
                "(SELECT format('counted_at %s is before the latest count of %s in %s, at %s (%s counted): a late count adjusts nothing, the newer one "
                + "stands; count again, or record it as history with --late-counts', "
                + "(t.counted_at AT TIME ZONE m.timezone)::timestamp(0), t.sku, t.warehouse_code, (c.counted_at AT TIME ZONE m.timezone)::timestamp(0), c.counted_quantity) "
                + "FROM dw.fact_stock_counts AS c JOIN dw.dim_products AS p ON p.merchant_id = c.merchant_id AND p.product_id = c.product_id "
                + "JOIN dw.dim_merchants AS m ON m.merchant_id = c.merchant_id "
                + "WHERE c.merchant_id = t.merchant_id AND p.sku = t.sku AND c.warehouse_code = t.warehouse_code AND c.posted_at IS NOT NULL "
                + "ORDER BY c.counted_at DESC LIMIT 1)"),
        ],
        Post = """
            SELECT dw.post_stock_counts(m.merchant_id)
            FROM (SELECT DISTINCT t.merchant_id FROM pg_temp.ingest_rows AS t ORDER BY 1) AS m
            """,
    });
}

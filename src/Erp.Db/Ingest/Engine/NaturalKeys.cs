namespace Erp.Db.Ingest.Engine;

/// <summary>
/// The natural keys a row may carry instead of internal ids: merchant_code, shop_code (the shop's platform_shop_code, unique per
/// merchant), customer_code. Each is resolved for the whole batch by one UPDATE of the temp table (only rows without the id), then
/// checked: an unknown code, or a code that names another row than the id given with it, is an error naming the code's field.
/// </summary>
internal static class NaturalKeys
{
    /// <summary>The merchant as a message names it: by the code the file gave, else by its id.</summary>
    public const string MerchantNamed = "coalesce(t.merchant_code, t.merchant_id::text)";

    public static readonly ResolveStep ResolveMerchant = new("""
        UPDATE pg_temp.ingest_rows AS t SET merchant_id = m.merchant_id
        FROM dw.dim_merchants AS m
        WHERE t.merchant_id IS NULL AND t.merchant_code IS NOT NULL AND m.merchant_code = t.merchant_code
        """) { OnlyWhenGiven = "merchant_code" };

    public static readonly ResolveStep ResolveShop = new("""
        UPDATE pg_temp.ingest_rows AS t SET shop_id = s.shop_id
        FROM dw.dim_shops AS s
        WHERE t.shop_id IS NULL AND t.shop_code IS NOT NULL AND s.merchant_id = t.merchant_id AND s.platform_shop_code = t.shop_code
        """) { OnlyWhenGiven = "shop_code" };

    public static readonly ResolveStep ResolveCustomer = new("""
        UPDATE pg_temp.ingest_rows AS t SET customer_id = c.customer_id
        FROM dw.dim_customers AS c
        WHERE t.customer_id IS NULL AND t.customer_code IS NOT NULL AND c.merchant_id = t.merchant_id AND c.customer_code = t.customer_code
        """) { OnlyWhenGiven = "customer_code" };

    /// <summary>
    /// A warehouse code is compared without case. The field is written in lower case (<see cref="Field.Code{TRow}"/>), so that
    /// <c>Default</c> is the position <c>default</c>; a code the merchant's positions already spell otherwise (stored before codes
    /// were folded, e.g. <c>WH-SZ</c>) takes that spelling, unless a lowercase position is stored too, so no position is split.
    /// Only stored codes with a capital take part: usually none, and the update then scans nothing of the batch. A row that names
    /// no warehouse is its merchant's shipping warehouse (<c>dw.dim_merchants.shipping_warehouse_code</c>), where its orders move stock.
    /// </summary>
    public const string ResolveWarehouse = """
        UPDATE pg_temp.ingest_rows AS t SET warehouse_code = m.shipping_warehouse_code
        FROM dw.dim_merchants AS m
        WHERE t.warehouse_code IS NULL AND m.merchant_id = t.merchant_id;
        UPDATE pg_temp.ingest_rows AS t SET warehouse_code = s.warehouse_code
        FROM (SELECT DISTINCT ON (f.merchant_id, lower(f.warehouse_code)) f.merchant_id, f.warehouse_code
              FROM dw.fact_inventory AS f
              WHERE f.warehouse_code <> lower(f.warehouse_code)
                AND f.merchant_id IN (SELECT DISTINCT b.merchant_id FROM pg_temp.ingest_rows AS b)
                AND NOT EXISTS (SELECT 1 FROM dw.fact_inventory AS g WHERE g.merchant_id = f.merchant_id AND g.warehouse_code = lower(f.warehouse_code))
              ORDER BY f.merchant_id, lower(f.warehouse_code), f.warehouse_code) AS s
        WHERE s.merchant_id = t.merchant_id AND lower(s.warehouse_code) = t.warehouse_code
        """;

    /// <summary>
    /// A warehouse code not blank. A row of a merchant not found has none (<see cref="ResolveWarehouse"/> takes its merchant's):
    /// the merchant check names that row, this one stays silent. In a batch told which warehouses it may open
    /// (<c>@checkWarehouses</c>, <see cref="IngestOptions.NewWarehouses"/>), the code must also be one the merchant has: its shipping
    /// warehouse, a warehouse it holds a stock position in, or one of <c>@newWarehouses</c>. A typo would otherwise open a position
    /// of phantom stock that counts in the product's totals and raises its own alerts. NOT EXISTS, an anti-join by the positions'
    /// (merchant, warehouse) whatever the estimates; the message lists the merchant's warehouses by dw.merchant_warehouses.
    /// </summary>
    public static IReadOnlyList<RowCheck> Warehouse() =>
    [
        OnceMerchantFound(RowCheck.Required("warehouse_code")),
        new("warehouse_code", """
            CAST(@checkWarehouses AS boolean) AND t.warehouse_code IS NOT NULL
            AND NOT t.warehouse_code = ANY (CAST(@newWarehouses AS text[]))
            AND EXISTS (SELECT 1 FROM dw.dim_merchants AS m WHERE m.merchant_id = t.merchant_id AND m.shipping_warehouse_code <> t.warehouse_code)
            AND NOT EXISTS (SELECT 1 FROM dw.fact_inventory AS f WHERE f.merchant_id = t.merchant_id AND f.warehouse_code = t.warehouse_code)
            """,
            """
            (SELECT format('warehouse_code %s is not a warehouse of merchant %s (its warehouses: %s): check the code, or name it as a new warehouse to open it (erpdb import --new-warehouse %s)',
                           t.warehouse_code, m.merchant_code, dw.merchant_warehouses(m.merchant_id), t.warehouse_code)
               FROM dw.dim_merchants AS m WHERE m.merchant_id = t.merchant_id)
            """),
    ];

    private static RowCheck OnceMerchantFound(RowCheck check) => check with { FailsWhen = $"t.merchant_id IS NOT NULL AND ({check.FailsWhen})" };

    /// <summary>
    /// merchant_id or merchant_code is required; the code must name a merchant (the one of merchant_id, when both are given). A check
    /// that can fail only on a value the row gives is asked only of a batch that gives the field (<see cref="RowCheck.OnlyWhenGiven"/>):
    /// each check is a scan of the batch.
    /// </summary>
    public static IReadOnlyList<RowCheck> Merchant() =>
    [
        new("merchant_code",
            "t.merchant_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dw.dim_merchants AS m WHERE m.merchant_id = t.merchant_id AND m.merchant_code = t.merchant_code)",
            "CASE WHEN t.merchant_id IS NULL THEN format('merchant_code %s is not a merchant', t.merchant_code) "
            + "ELSE format('merchant_code %s is not merchant_id %s', t.merchant_code, t.merchant_id) END"
            + SpelledOtherwise("m.merchant_code", "dw.dim_merchants AS m", "t.merchant_code")) { OnlyWhenGiven = "merchant_code" },
        new("merchant_id",
            "t.merchant_code IS NULL AND (t.merchant_id IS NULL OR NOT EXISTS (SELECT 1 FROM dw.dim_merchants AS m WHERE m.merchant_id = t.merchant_id))",
            "CASE WHEN t.merchant_id IS NULL THEN 'merchant_id or merchant_code is missing' ELSE format('merchant_id %s is not a merchant', t.merchant_id) END"),
    ];

    /// <summary>shop_id or shop_code (required unless <paramref name="optional"/>) must be a shop of the row's merchant.</summary>
    public static IReadOnlyList<RowCheck> Shop(string constraint, bool optional = false) =>
    [
        new("shop_code",
            "t.shop_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dw.dim_shops AS s WHERE s.merchant_id = t.merchant_id AND s.shop_id = t.shop_id AND s.platform_shop_code = t.shop_code)",
            "CASE WHEN t.shop_id IS NULL THEN format('shop_code %s is not a shop of merchant %s', t.shop_code, " + MerchantNamed + ") "
            + "ELSE format('shop_code %s is not shop_id %s of merchant %s', t.shop_code, t.shop_id, " + MerchantNamed + ") END"
            + SpelledOtherwise("s.platform_shop_code", "dw.dim_shops AS s", "t.shop_code", "s.merchant_id = t.merchant_id"),
            constraint) { OnlyWhenGiven = "shop_code" },
        new("shop_id",
            $"t.shop_code IS NULL AND ({(optional ? "false" : "t.shop_id IS NULL")} OR (t.shop_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dw.dim_shops AS s WHERE s.merchant_id = t.merchant_id AND s.shop_id = t.shop_id)))",
            "CASE WHEN t.shop_id IS NULL THEN 'shop_id or shop_code is missing' ELSE format('shop_id %s is not a shop of merchant %s', t.shop_id, " + MerchantNamed + ") END",
            constraint),
    ];

    /// <summary>
    /// A message's tail naming the stored code that differs from the row's <paramref name="given"/> in case only (<c>CN1</c> for
    /// the shop <c>cn1</c>): codes are compared as written. Asked only of rows that fail, in the message.
    /// </summary>
    public static string SpelledOtherwise(string code, string from, string given, string? where = null) =>
        $" || coalesce((SELECT format(' (did you mean %s?)', {code}) FROM {from} WHERE {(where is null ? "" : where + " AND ")}lower({code}) = lower({given}) AND {code} <> {given} ORDER BY {code} LIMIT 1), '')";

    /// <summary>customer_id or customer_code, when given, must be a customer of the row's merchant.</summary>
    public static IReadOnlyList<RowCheck> Customer(string constraint) =>
    [
        new("customer_code",
            "t.customer_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dw.dim_customers AS c WHERE c.merchant_id = t.merchant_id AND c.customer_id = t.customer_id AND c.customer_code = t.customer_code)",
            "CASE WHEN t.customer_id IS NULL THEN format('customer_code %s is not a customer of merchant %s', t.customer_code, " + MerchantNamed + ") "
            + "ELSE format('customer_code %s is not customer_id %s', t.customer_code, t.customer_id) END",
            constraint) { OnlyWhenGiven = "customer_code" },
        new("customer_id",
            "t.customer_id IS NOT NULL AND t.customer_code IS NULL AND NOT EXISTS (SELECT 1 FROM dw.dim_customers AS c WHERE c.merchant_id = t.merchant_id AND c.customer_id = t.customer_id)",
            "format('customer_id %s is not a customer of merchant %s', t.customer_id, " + MerchantNamed + ")",
            constraint) { OnlyWhenGiven = "customer_id" },
    ];
}

namespace Erp.Db.Ingest.Engine;

/// <summary>
/// The reference checks several entities share: product by SKU, currency (the exchange rate: CurrencyRule; merchant, shop and customer: NaturalKeys).
/// </summary>
internal static class References
{
    public static RowCheck Sku(string constraint) => new(
        "sku",
        "NOT EXISTS (SELECT 1 FROM dw.dim_products AS p WHERE p.merchant_id = t.merchant_id AND p.sku = t.sku)",
        "format('sku %s is not a product of merchant %s', t.sku, " + NaturalKeys.MerchantNamed + ")"
        + NaturalKeys.SpelledOtherwise("p.sku", "dw.dim_products AS p", "t.sku", "p.merchant_id = t.merchant_id"),
        constraint);

    public static RowCheck Currency(string constraint, string field = "currency_code") => new(
        field,
        $"NOT EXISTS (SELECT 1 FROM dw.dim_currencies AS c WHERE c.currency_code::text = t.{field})",
        $"format('{field} %s is not a known currency', coalesce(t.{field}, 'NULL'))",
        constraint);

    /// <summary>
    /// The row needs its product's unit cost in CNY (<c>dw.product_cost_cny</c>: the cost converted from the product's cost_currency
    /// at the rate of <paramref name="dateExpression"/>) when <paramref name="needsCost"/>, and that currency has no rate for the day
    /// (<c>dw.exchange_rate_on</c>): rejected, as an order without a rate is (<see cref="CurrencyRule"/>). The cost is asked once per product and day of
    /// the batch, not per row: 400,000 order lines over 100 products and a year ask it 36,000 times, and a per-row subquery was
    /// planned, on statistics of a product table analyzed small, as a scan of the products per row (13 s at 1,000,000 orders).
    /// <paramref name="costs"/>: a table that already holds the costs per (merchant_id, sku, cost_day), a NULL unit_cost where no
    /// rate is known, read instead of asking again.
    /// </summary>
    public static RowCheck ProductCostRate(string field, string needsCost, string dateExpression, string? costs = null) => new(
        field,
        $"{needsCost} AND (t.merchant_id, t.sku, {dateExpression}) IN ("
        + (costs is null
            ? $"SELECT d.merchant_id, d.sku, d.cost_day FROM (SELECT DISTINCT t.merchant_id, t.sku, {dateExpression} AS cost_day "
              + $"FROM {IngestPlan<object>.TempTable} AS t WHERE {needsCost}) AS d "
              + "JOIN dw.dim_products AS p ON p.merchant_id = d.merchant_id AND p.sku = d.sku "
              + "CROSS JOIN LATERAL dw.product_cost_cny(p.unit_cost, p.cost_currency::text, d.cost_day) AS c WHERE c.unit_cost IS NULL)"
            : $"SELECT c.merchant_id, c.sku, c.cost_day FROM {costs} AS c WHERE c.unit_cost IS NULL)"),
        $"format('sku %s costs in %s and %s to value it in CNY', t.sku, {CostCurrency}, dw.missing_rate_problem({CostCurrency}, {dateExpression}))");

    private const string CostCurrency = "(SELECT p.cost_currency FROM dw.dim_products AS p WHERE p.merchant_id = t.merchant_id AND p.sku = t.sku)";

    /// <summary>An IANA time zone PostgreSQL knows (pg_timezone_names), when given.</summary>
    public static RowCheck TimeZone(string field) => new(
        field,
        $"t.{field} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names AS z WHERE z.name = t.{field})",
        $"format('{field} %s is not an IANA time zone (e.g. Asia/Shanghai)', t.{field})");

    /// <summary>A platform code of dw.dim_platforms; required unless <paramref name="optional"/>.</summary>
    public static RowCheck Platform(string constraint, bool optional) => new(
        "platform",
        $"{(optional ? "t.platform IS NOT NULL AND " : "")}NOT EXISTS (SELECT 1 FROM dw.dim_platforms AS p WHERE p.platform_code = t.platform)",
        "format('platform %s is not a platform (%s)', coalesce(t.platform, 'NULL'), (SELECT string_agg(p.platform_code, ', ' ORDER BY p.platform_id) FROM dw.dim_platforms AS p))",
        constraint);

    /// <summary>A code of a shared lookup (<paramref name="table"/>.<paramref name="column"/>), when given.</summary>
    public static RowCheck Code(string field, string table, string column, string constraint) => new(
        field,
        $"t.{field} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {table} AS x WHERE x.{column} = t.{field})",
        $"format('{field} %s is not one of %s', t.{field}, (SELECT string_agg(x.{column}, ', ' ORDER BY x.{column}) FROM {table} AS x))",
        constraint);
}

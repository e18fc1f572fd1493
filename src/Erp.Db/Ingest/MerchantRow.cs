namespace Erp.Db.Ingest;

/// <summary>
/// One merchant (tenant) for <see cref="Ingestor.UpsertMerchantsAsync(IEnumerable{MerchantRow}, CancellationToken)"/> (table
/// <c>dw.dim_merchants</c>), keyed by <paramref name="MerchantCode"/>.
/// </summary>
/// <param name="MerchantCode">The merchant's stable code, the key; required, not empty.</param>
/// <param name="MerchantName">Display name; required.</param>
public sealed record MerchantRow(string MerchantCode, string MerchantName)
{
    /// <summary>Currency the merchant reports in (dw.dim_currencies); default CNY.</summary>
    public string BaseCurrency { get; init; } = "CNY";

    /// <summary>IANA time zone in which the merchant's business day is cut; default Asia/Shanghai.</summary>
    public string Timezone { get; init; } = "Asia/Shanghai";

    /// <summary>active (default), suspended or closed.</summary>
    public string Status { get; init; } = "active";

    /// <summary>
    /// The warehouse the merchant's order lines move stock in when first posted, and where purchases, counts and inventory rows
    /// without a warehouse go; null keeps the stored one (<c>default</c> for a new merchant). A change moves no stock: a line
    /// already posted releases and takes back where it first moved.
    /// </summary>
    public string? ShippingWarehouseCode { get; init; }
}

namespace Erp.Db.Ingest;

/// <summary>
/// One product for <see cref="Ingestor.UpsertProductsAsync(IEnumerable{ProductMasterRow}, CancellationToken)"/> (table
/// <c>dw.dim_products</c>), keyed by (merchant, <paramref name="Sku"/>).
/// </summary>
/// <param name="MerchantId">The merchant; 0 when <see cref="MerchantCode"/> names it.</param>
/// <param name="Sku">The merchant's SKU, the key; required.</param>
/// <param name="ProductName">Display name; required.</param>
public sealed record ProductMasterRow(long MerchantId, string Sku, string ProductName)
{
    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>Path of a stored category (Electronics/Phones), or null.</summary>
    public string? CategoryPath { get; init; }

    /// <summary>Brand, or null.</summary>
    public string? Brand { get; init; }

    /// <summary>Current cost of one unit in <see cref="CostCurrency"/>; default 0.</summary>
    public decimal UnitCost { get; init; }

    /// <summary>Currency of <see cref="UnitCost"/>; default CNY.</summary>
    public string CostCurrency { get; init; } = "CNY";

    /// <summary>Default safety stock; default 0.</summary>
    public int SafetyStock { get; init; }

    /// <summary>draft, active (default), inactive or archived.</summary>
    public string Status { get; init; } = "active";
}

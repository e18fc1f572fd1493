namespace Erp.Db.Ingest;

/// <summary>
/// One product category for <see cref="Ingestor.UpsertCategoriesAsync(IEnumerable{CategoryRow}, CancellationToken)"/> (table
/// <c>dw.dim_categories</c>), keyed by (merchant, <paramref name="CategoryPath"/>). Its parent is the path without its last segment,
/// which must be stored or in the same batch.
/// </summary>
/// <param name="MerchantId">The merchant; 0 when <see cref="MerchantCode"/> names it.</param>
/// <param name="CategoryPath">The path from the root, segments separated by '/' (Electronics/Phones); the key.</param>
public sealed record CategoryRow(long MerchantId, string CategoryPath)
{
    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>Display name; null (default) = the last segment of the path.</summary>
    public string? CategoryName { get; init; }

    /// <summary>A code unique per merchant; null (default) = the path.</summary>
    public string? CategoryCode { get; init; }
}

namespace Erp.Db.Ingest;

/// <summary>
/// One customer for <see cref="Ingestor.UpsertCustomersAsync(IEnumerable{CustomerMasterRow}, CancellationToken)"/> (table
/// <c>dw.dim_customers</c>), keyed by (merchant, <paramref name="CustomerCode"/>). No raw e-mail or phone: a platform user id or a
/// hash.
/// </summary>
/// <param name="MerchantId">The merchant; 0 when <see cref="MerchantCode"/> names it.</param>
/// <param name="CustomerCode">The buyer's code, unique per merchant; the key.</param>
public sealed record CustomerMasterRow(long MerchantId, string CustomerCode)
{
    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>Display name, or null.</summary>
    public string? CustomerName { get; init; }

    /// <summary>Day of the first order at this merchant, or null.</summary>
    public DateOnly? FirstOrderDate { get; init; }

    /// <summary>Membership level code (dw.dim_user_levels: normal, gold, platinum, diamond), or null.</summary>
    public string? UserLevel { get; init; }

    /// <summary>Region code (dw.dim_regions), or null.</summary>
    public string? Region { get; init; }

    /// <summary>Acquisition channel code (dw.dim_channels: app, mini_program, h5, pc, unknown), or null.</summary>
    public string? Channel { get; init; }

    /// <summary>Country (ISO 3166-1 alpha-2), or null.</summary>
    public string? CountryCode { get; init; }
}

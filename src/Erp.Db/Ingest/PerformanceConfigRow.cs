namespace Erp.Db.Ingest;

/// <summary>
/// One version of a performance configuration (A-class) for <see
/// cref="Ingestor.UpsertPerformanceConfigsAsync(IEnumerable{PerformanceConfigRow}, CancellationToken)"/> (table
/// <c>dw.cfg_performance_configs</c>), keyed by (merchant, <paramref name="ConfigCode"/>, <paramref name="EffectiveFrom"/>). Writing
/// it recomputes the merchant's health scores and rankings.
/// </summary>
/// <param name="MerchantId">The merchant; 0 when <see cref="MerchantCode"/> names it.</param>
/// <param name="ConfigCode">The configuration's code (e.g. shop_health_score).</param>
/// <param name="ConfigName">Display name.</param>
/// <param name="EffectiveFrom">First day this version applies.</param>
public sealed record PerformanceConfigRow(long MerchantId, string ConfigCode, string ConfigName, DateOnly EffectiveFrom)
{
    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>merchant, shop (default), product or staff.</summary>
    public string Scope { get; init; } = "shop";

    /// <summary>A JSON object metric to weight; default {}.</summary>
    public string Weights { get; init; } = "{}";

    /// <summary>A JSON object of score bands or limits; default {}.</summary>
    public string Thresholds { get; init; } = "{}";

    /// <summary>Last day it applies (inclusive); null (default) = open-ended.</summary>
    public DateOnly? EffectiveTo { get; init; }

    /// <summary>Whether the version is in use; default true.</summary>
    public bool IsActive { get; init; } = true;
}

namespace Erp.Db.Seeding.Generation;

/// <summary>
/// The shared reference rows the generator points at (seeded by migration 0004): platform, region,
/// channel and user level ids by code, and the known currencies.
/// </summary>
/// <param name="PlatformIds">dw.dim_platforms.platform_id by platform_code.</param>
/// <param name="AreaRegionIds">dw.dim_regions ids of the Chinese sales areas (region_level 'area').</param>
/// <param name="ChannelIds">dw.dim_channels.channel_id by channel_code.</param>
/// <param name="UserLevelIds">dw.dim_user_levels.user_level_id by level_code.</param>
/// <param name="Currencies">dw.dim_currencies codes.</param>
internal sealed record SeedReferenceData(
    IReadOnlyDictionary<string, short> PlatformIds,
    IReadOnlyList<int> AreaRegionIds,
    IReadOnlyDictionary<string, short> ChannelIds,
    IReadOnlyDictionary<string, short> UserLevelIds,
    IReadOnlyList<string> Currencies)
{
    /// <summary>The reference rows exactly as a freshly migrated database holds them (ids in insertion order).</summary>
    public static SeedReferenceData Default { get; } = new(
        new Dictionary<string, short> { ["shopee"] = 1, ["tiktok"] = 2, ["amazon"] = 3, ["lazada"] = 4, ["shopify"] = 5, ["own_site"] = 6, ["other"] = 7 },
        [1, 2, 3, 4, 5, 6, 7],
        new Dictionary<string, short> { ["app"] = 1, ["mini_program"] = 2, ["h5"] = 3, ["pc"] = 4, ["unknown"] = 5 },
        new Dictionary<string, short> { ["normal"] = 1, ["gold"] = 2, ["platinum"] = 3, ["diamond"] = 4 },
        ["CNY", "USD", "EUR", "GBP", "JPY", "SGD", "MYR", "THB", "IDR", "PHP", "VND", "TWD", "BRL", "MXN"]);
}

using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>
/// Sales campaigns (A-class) into dw.cfg_sales_campaigns, keyed (merchant_id, campaign_code); the platform by its code. The table's statement
/// triggers recompute the merchants' C-class results.
/// </summary>
internal static class CampaignsEntity
{
    public static readonly IngestPlan<CampaignConfigRow> Plan = new("campaigns", new EntityDefinition<CampaignConfigRow>
    {
        Table = "dw.cfg_sales_campaigns",
        Fields =
        [
            Field.Id<CampaignConfigRow>("merchant_id", r => r.MerchantId),
            Field.Text<CampaignConfigRow>("merchant_code", r => r.MerchantCode),
            Field.Text<CampaignConfigRow>("campaign_code", r => r.CampaignCode),
            Field.Text<CampaignConfigRow>("campaign_name", r => r.CampaignName),
            Field.Date<CampaignConfigRow>("start_date", r => r.StartDate),
            Field.Date<CampaignConfigRow>("end_date", r => r.EndDate),
            Field.Code<CampaignConfigRow>("campaign_type", r => r.CampaignType),
            Field.Code<CampaignConfigRow>("platform", r => r.Platform),
            Field.Bigint<CampaignConfigRow>("shop_id", r => r.ShopId),
            Field.Text<CampaignConfigRow>("shop_code", r => r.ShopCode),
            Field.Numeric<CampaignConfigRow>("target_gmv_cny", r => r.TargetGmvCny),
            Field.Numeric<CampaignConfigRow>("budget_cny", r => r.BudgetCny),
            Field.Numeric<CampaignConfigRow>("discount_rate", r => r.DiscountRate),
            Field.Code<CampaignConfigRow>("status", r => r.Status),
        ],
        KeyFields = ["merchant_id", "campaign_code"],
        Joins = """

                LEFT JOIN dw.dim_platforms AS p ON p.platform_code = t.platform
            """,
        Columns =
        [
            .. new[] { "merchant_id", "campaign_code", "campaign_name", "start_date", "end_date", "campaign_type" }.Select(TargetColumn.Same),
            new("platform_id", "p.platform_id", ["platform"]),
            .. new[] { "shop_id", "target_gmv_cny", "budget_cny", "discount_rate", "status" }.Select(TargetColumn.Same),
        ],
        ConflictColumns = ["merchant_id", "campaign_code"],
        Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveShop],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("campaign_code"),
            RowCheck.Required("campaign_name"),
            .. NaturalKeys.Shop("cfg_sales_campaigns_shop_fkey", optional: true),
            References.Platform("cfg_sales_campaigns_platform_id_fkey", optional: true),
            // A campaign limited to a shop and a platform counts the shop's sales on that platform: another platform's shop would
            // make a campaign that can never sell.
            new("platform",
                "t.platform IS NOT NULL AND t.shop_id IS NOT NULL AND EXISTS (SELECT 1 FROM dw.dim_shops AS s JOIN dw.dim_platforms AS p ON p.platform_id = s.platform_id "
                + "WHERE s.merchant_id = t.merchant_id AND s.shop_id = t.shop_id AND p.platform_code <> t.platform)",
                "(SELECT format('platform %s is not the platform of shop %s, %s: leave platform empty for a shop''s campaign', t.platform, "
                + "coalesce(t.shop_code, t.shop_id::text), p.platform_code) FROM dw.dim_shops AS s JOIN dw.dim_platforms AS p ON p.platform_id = s.platform_id "
                + "WHERE s.merchant_id = t.merchant_id AND s.shop_id = t.shop_id)"),
        ],
    });
}

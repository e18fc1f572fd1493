using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>campaigns: file columns of <see cref="CampaignConfigRow"/>.</summary>
internal static class CampaignsCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<CampaignConfigRow>("campaigns", "dw.cfg_sales_campaigns",
    [
        .. KeyColumns.Merchant,
        new("campaign_code", true, "the campaign's code (the key)"),
        new("campaign_name", true, "display name"),
        new("start_date", true, "yyyy-mm-dd"),
        new("end_date", true, "yyyy-mm-dd"),
        new("campaign_type", false, "promotion (default), flash_sale, festival, clearance, new_launch, livestream, other"),
        new("platform", false, "platform code; empty = all"),
        .. KeyColumns.OptionalShop,
        new("target_gmv_cny", false, ""),
        new("budget_cny", false, ""),
        new("discount_rate", false, "0..1"),
        new("status", false, "planned (default), active, finished, cancelled"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertCampaignsAsync(rows, ct));

    private static CampaignConfigRow Map(CsvRecord r)
    {
        var row = new CampaignConfigRow(r.LongOrNull("merchant_id") ?? 0, r.Text("campaign_code"), r.Text("campaign_name"), r.Date("start_date"), r.Date("end_date"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            CampaignType = r.TextOrNull("campaign_type") ?? row.CampaignType,
            Platform = r.TextOrNull("platform"),
            ShopId = r.LongOrNull("shop_id"),
            ShopCode = r.TextOrNull("shop_code"),
            TargetGmvCny = r.DecimalOrNull("target_gmv_cny"),
            BudgetCny = r.DecimalOrNull("budget_cny"),
            DiscountRate = r.DecimalOrNull("discount_rate"),
            Status = r.TextOrNull("status") ?? row.Status,
        };
    }
}

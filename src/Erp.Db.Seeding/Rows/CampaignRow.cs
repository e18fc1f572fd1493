using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.cfg_sales_campaigns (merchant-wide: no shop or platform).</summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="CampaignId">Key (with merchant).</param>
/// <param name="CampaignCode">Code, unique per merchant.</param>
/// <param name="CampaignName">Name.</param>
/// <param name="CampaignType">festival, promotion, flash_sale, ...</param>
/// <param name="StartDate">First day.</param>
/// <param name="EndDate">Last day.</param>
/// <param name="TargetGmvCny">GMV aimed at, CNY.</param>
/// <param name="BudgetCny">Spend, CNY.</param>
/// <param name="DiscountRate">Discount offered, 0..1.</param>
/// <param name="Status">active or finished.</param>
internal sealed record CampaignRow(
    long MerchantId, long CampaignId, string CampaignCode, string CampaignName, string CampaignType, DateOnly StartDate, DateOnly EndDate,
    decimal TargetGmvCny, decimal BudgetCny, decimal DiscountRate, string Status)
    : ICopyRow<CampaignRow>
{
    static string ICopyRow<CampaignRow>.Table => "dw.cfg_sales_campaigns";

    static string ICopyRow<CampaignRow>.CopyCommand =>
        "COPY dw.cfg_sales_campaigns (merchant_id, campaign_id, campaign_code, campaign_name, campaign_type, start_date, end_date, "
        + "target_gmv_cny, budget_cny, discount_rate, status) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<CampaignRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(CampaignId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(CampaignCode, NpgsqlDbType.Text, ct);
        await w.WriteAsync(CampaignName, NpgsqlDbType.Text, ct);
        await w.WriteAsync(CampaignType, NpgsqlDbType.Text, ct);
        await w.WriteAsync(StartDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(EndDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(TargetGmvCny, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(BudgetCny, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(DiscountRate, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(Status, NpgsqlDbType.Text, ct);
    }
}

using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>
/// Sales targets (A-class) into dw.cfg_sales_targets, keyed (merchant_id, shop_id or none, metric, period_type, period_start): the unique
/// constraint cfg_sales_targets_scope_unique (NULLS NOT DISTINCT). The table's statement triggers recompute the merchants' C-class results.
/// </summary>
internal static class SalesTargetsEntity
{
    public static readonly IngestPlan<SalesTargetRow> Plan = new("sales-targets", new EntityDefinition<SalesTargetRow>
    {
        Table = "dw.cfg_sales_targets",
        Fields =
        [
            Field.Id<SalesTargetRow>("merchant_id", r => r.MerchantId),
            Field.Text<SalesTargetRow>("merchant_code", r => r.MerchantCode),
            Field.Code<SalesTargetRow>("metric", r => r.Metric),
            Field.Code<SalesTargetRow>("period_type", r => r.PeriodType),
            Field.Date<SalesTargetRow>("period_start", r => r.PeriodStart),
            Field.Date<SalesTargetRow>("period_end", r => r.PeriodEnd),
            Field.Numeric<SalesTargetRow>("target_value", r => r.TargetValue),
            Field.Bigint<SalesTargetRow>("shop_id", r => r.ShopId),
            Field.Text<SalesTargetRow>("shop_code", r => r.ShopCode),
            Field.Text<SalesTargetRow>("note", r => r.Note),
        ],
        KeyFields = ["merchant_id", "shop_id", "metric", "period_type", "period_start"],
        Columns = [.. new[] { "merchant_id", "shop_id", "metric", "period_type", "period_start", "period_end", "target_value", "note" }.Select(TargetColumn.Same)],
        ConflictColumns = ["merchant_id", "shop_id", "metric", "period_type", "period_start"],
        Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveShop],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            .. NaturalKeys.Shop("cfg_sales_targets_shop_fkey", optional: true),
            RowCheck.Required("metric"),
            RowCheck.Required("period_type"),
        ],
    });
}

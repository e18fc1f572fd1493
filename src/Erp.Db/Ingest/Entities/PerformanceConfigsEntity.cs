using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>
/// Performance configurations (A-class) into dw.cfg_performance_configs, keyed (merchant_id, config_code, effective_from); weights and
/// thresholds are JSON objects. The table's statement triggers recompute the merchants' C-class results.
/// </summary>
internal static class PerformanceConfigsEntity
{
    public static readonly IngestPlan<PerformanceConfigRow> Plan = new("performance-configs", new EntityDefinition<PerformanceConfigRow>
    {
        Table = "dw.cfg_performance_configs",
        Fields =
        [
            Field.Id<PerformanceConfigRow>("merchant_id", r => r.MerchantId),
            Field.Text<PerformanceConfigRow>("merchant_code", r => r.MerchantCode),
            Field.Text<PerformanceConfigRow>("config_code", r => r.ConfigCode),
            Field.Text<PerformanceConfigRow>("config_name", r => r.ConfigName),
            Field.Date<PerformanceConfigRow>("effective_from", r => r.EffectiveFrom),
            Field.Code<PerformanceConfigRow>("scope", r => r.Scope),
            Field.Text<PerformanceConfigRow>("weights", r => r.Weights),
            Field.Text<PerformanceConfigRow>("thresholds", r => r.Thresholds),
            Field.Date<PerformanceConfigRow>("effective_to", r => r.EffectiveTo),
            Field.Boolean<PerformanceConfigRow>("is_active", r => r.IsActive),
        ],
        KeyFields = ["merchant_id", "config_code", "effective_from"],
        Columns =
        [
            .. new[] { "merchant_id", "config_code", "effective_from", "config_name", "scope" }.Select(TargetColumn.Same),
            new("weights", "t.weights::jsonb", ["weights"]),
            new("thresholds", "t.thresholds::jsonb", ["thresholds"]),
            TargetColumn.Same("effective_to"),
            TargetColumn.Same("is_active"),
        ],
        ConflictColumns = ["merchant_id", "config_code", "effective_from"],
        Resolve = [NaturalKeys.ResolveMerchant],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("config_code"),
            RowCheck.Required("config_name"),
        ],
    });
}

using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>performance-configs: file columns of <see cref="PerformanceConfigRow"/>.</summary>
internal static class PerformanceConfigsCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<PerformanceConfigRow>("performance-configs", "dw.cfg_performance_configs",
    [
        .. KeyColumns.Merchant,
        new("config_code", true, "e.g. shop_health_score"),
        new("config_name", true, "display name"),
        new("effective_from", true, "yyyy-mm-dd"),
        new("scope", false, "merchant, shop (default), product, staff"),
        new("weights", false, "JSON object, default {}"),
        new("thresholds", false, "JSON object, default {}"),
        new("effective_to", false, "yyyy-mm-dd; empty = open-ended"),
        new("is_active", false, "true/false, default true"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertPerformanceConfigsAsync(rows, ct));

    private static PerformanceConfigRow Map(CsvRecord r)
    {
        var row = new PerformanceConfigRow(r.LongOrNull("merchant_id") ?? 0, r.Text("config_code"), r.Text("config_name"), r.Date("effective_from"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            Scope = r.TextOrNull("scope") ?? row.Scope,
            Weights = r.TextOrNull("weights") ?? row.Weights,
            Thresholds = r.TextOrNull("thresholds") ?? row.Thresholds,
            EffectiveTo = r.DateOrNull("effective_to"),
            IsActive = r.BoolOrNull("is_active") ?? row.IsActive,
        };
    }
}

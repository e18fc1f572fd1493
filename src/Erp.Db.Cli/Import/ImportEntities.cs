using Erp.Db.Cli.Import.Entities;

namespace Erp.Db.Cli.Import;

/// <summary>The entities <c>erpdb import</c> knows, in the order help lists them: master data first (the order a new merchant loads them in).</summary>
internal static class ImportEntities
{
    public static readonly IReadOnlyList<ImportEntity> All =
        [
            MerchantsCsv.Entity, ShopsCsv.Entity, CategoriesCsv.Entity, ProductsCsv.Entity, CustomersCsv.Entity, ExchangeRatesCsv.Entity,
            OrdersCsv.Entity, OrderItemsCsv.Entity, ProductMetricsCsv.Entity, InventoryCsv.Entity, ExpensesCsv.Entity, PaymentsCsv.Entity, PurchasesCsv.Entity, StockCountsCsv.Entity,
            ReceivablesCsv.Entity, TrafficCsv.Entity, UserActivityCsv.Entity, SalesTargetsCsv.Entity, CampaignsCsv.Entity, PerformanceConfigsCsv.Entity,
        ];

    public static ImportEntity? Find(string name) => All.FirstOrDefault(e => e.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}

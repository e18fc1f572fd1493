using Erp.Db.Cli.Import.Entities;

namespace Erp.Db.Cli.Import;

/// <summary>The entities <c>erpdb import</c> knows, in the order help lists them.</summary>
internal static class ImportEntities
{
    public static readonly IReadOnlyList<ImportEntity> All =
        [OrdersCsv.Entity, OrderItemsCsv.Entity, ProductMetricsCsv.Entity, InventoryCsv.Entity, ExpensesCsv.Entity, PaymentsCsv.Entity, PurchasesCsv.Entity, StockCountsCsv.Entity];

    public static ImportEntity? Find(string name) => All.FirstOrDefault(e => e.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}

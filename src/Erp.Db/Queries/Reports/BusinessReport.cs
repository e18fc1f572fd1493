using Erp.Db.Queries.Customers;
using Erp.Db.Queries.Finance;
using Erp.Db.Queries.Inventory;
using Erp.Db.Queries.Sales;

namespace Erp.Db.Queries.Reports;

/// <summary>A business report: sales with growth and best sellers, stock alerts, customers and finance of one period.</summary>
/// <param name="Type">Daily, weekly or monthly.</param>
/// <param name="Period">The days covered.</param>
/// <param name="Sales">Sales totals and growth against the previous period of the same length.</param>
/// <param name="TopProducts">The five best sellers.</param>
/// <param name="Inventory">Stock totals now (low, out, overstock).</param>
/// <param name="Customers">Customer totals now.</param>
/// <param name="Finance">Finance totals over the months the period touches.</param>
public sealed record BusinessReport(
    ReportType Type,
    PeriodInfo Period,
    SalesMetrics Sales,
    IReadOnlyList<TopProduct> TopProducts,
    InventorySummary Inventory,
    CustomerSummary Customers,
    FinanceMonth Finance);

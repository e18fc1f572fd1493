using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>One generated order with its lines, and where it sits in the plan.</summary>
internal sealed record OrderDetail(int Index, PlannedOrder Plan, SalesOrderRow Order, OrderItemRow[] Items)
{
    public bool IsCompleted => Order.Status == "completed";
}

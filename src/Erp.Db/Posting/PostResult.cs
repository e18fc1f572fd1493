namespace Erp.Db.Posting;

/// <summary>What one posting run changed in the books; all zeros when they were already posted.</summary>
/// <param name="Orders">Orders in scope (posted or found already posted).</param>
/// <param name="OrdersCosted">Orders whose cost, item count or inventory_deducted flag were set from their lines.</param>
/// <param name="Movements">Stock movements inserted (reserve, release, sale_out, return_in).</param>
/// <param name="Positions">Stock positions (product and warehouse) moved.</param>
/// <param name="Receivables">Receivables of invoiced orders inserted or changed.</param>
/// <param name="Settled">Receivables whose received amount, status or settlement changed.</param>
/// <param name="StockCounts">Stock counts posted as adjustments.</param>
public sealed record PostResult(int Orders, int OrdersCosted, int Movements, int Positions, int Receivables, int Settled, int StockCounts)
{
    /// <summary>True when the run changed nothing (the books were already posted).</summary>
    public bool NothingChanged => OrdersCosted + Movements + Positions + Receivables + Settled + StockCounts == 0;
}

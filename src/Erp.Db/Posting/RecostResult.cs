namespace Erp.Db.Posting;

/// <summary>What one re-cost of booked order lines changed (<see cref="ErpDatabase.RecostAsync"/>); zeros but <see cref="Orders"/> when the lines were already at their products' cost.</summary>
/// <param name="Orders">Orders selected.</param>
/// <param name="Lines">Order lines whose unit_cost was restated.</param>
/// <param name="OrdersCosted">Orders whose cost (and so profit) changed with their lines.</param>
public sealed record RecostResult(int Orders, int Lines, int OrdersCosted)
{
    /// <summary>True when the run changed nothing (every selected line was at its product's cost already).</summary>
    public bool NothingChanged => Lines + OrdersCosted == 0;
}

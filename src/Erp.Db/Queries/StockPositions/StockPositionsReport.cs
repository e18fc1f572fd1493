namespace Erp.Db.Queries.StockPositions;

/// <summary>Stock positions: totals over the filter and a page of positions, least available first.</summary>
/// <param name="Totals">Sums over every position of the SKU, warehouse and category filters (whatever the status filter).</param>
/// <param name="Positions">The page of positions of the status asked for.</param>
public sealed record StockPositionsReport(StockPositionsTotals Totals, PagedResult<PositionRow> Positions);

/// <summary>Counts and sums over the positions, in units (value in CNY).</summary>
public sealed record StockPositionsTotals
{
    /// <summary>Positions (product and warehouse).</summary>
    public long Positions { get; init; }

    /// <summary>Positions with nothing available.</summary>
    public long OutOfStock { get; init; }

    /// <summary>Positions at or below their safety stock, above zero.</summary>
    public long LowStock { get; init; }

    /// <summary>Positions short of stock (see <see cref="PositionFilter.Shortage"/>).</summary>
    public long ShortOfStock { get; init; }

    /// <summary>Units on hand.</summary>
    public long OnHand { get; init; }

    /// <summary>Units reserved for orders not yet shipped.</summary>
    public long Reserved { get; init; }

    /// <summary>Units available: on hand - reserved.</summary>
    public long Available { get; init; }

    /// <summary>Units purchased and in transit.</summary>
    public long Incoming { get; init; }

    /// <summary>Units shipped (or adjusted out) that the books did not have.</summary>
    public long ShortageOnHand { get; init; }

    /// <summary>Units ordered that could not be reserved for want of stock.</summary>
    public long ShortageReserved { get; init; }

    /// <summary>Stock value at average cost, CNY: on hand x average unit cost summed over the positions, rounded once to the cent.</summary>
    public decimal Value { get; init; }
}

/// <summary>One stock position: a product in a warehouse.</summary>
public sealed record PositionRow
{
    /// <summary>The product's SKU.</summary>
    public string Sku { get; init; } = "";

    /// <summary>The product's name.</summary>
    public string ProductName { get; init; } = "";

    /// <summary>The warehouse code.</summary>
    public string Warehouse { get; init; } = "";

    /// <summary>Whether it is the merchant's shipping warehouse, where its new order lines move stock.</summary>
    public bool Shipping { get; init; }

    /// <summary>Units on hand (never negative; see <see cref="ShortageOnHand"/>).</summary>
    public int OnHand { get; init; }

    /// <summary>Units reserved for orders not yet shipped.</summary>
    public int Reserved { get; init; }

    /// <summary>Units available: on hand - reserved.</summary>
    public int Available { get; init; }

    /// <summary>Units purchased and in transit.</summary>
    public int Incoming { get; init; }

    /// <summary>Units shipped (or adjusted out) that the books did not have: the book balance is on hand - this.</summary>
    public int ShortageOnHand { get; init; }

    /// <summary>Units ordered that could not be reserved for want of stock.</summary>
    public int ShortageReserved { get; init; }

    /// <summary>The position's safety stock, the low-stock alert's threshold.</summary>
    public int SafetyStock { get; init; }

    /// <summary>out_of_stock, low_stock or normal (<c>dw.stock_status</c> against the position's safety stock).</summary>
    public string Status { get; init; } = "";

    /// <summary>Weighted average cost of one unit, CNY.</summary>
    public decimal AverageUnitCost { get; init; }

    /// <summary>On hand x average unit cost, CNY, rounded to the cent.</summary>
    public decimal Value { get; init; }

    /// <summary>When it was last counted, if ever.</summary>
    public DateTimeOffset? LastCountedAt { get; init; }
}

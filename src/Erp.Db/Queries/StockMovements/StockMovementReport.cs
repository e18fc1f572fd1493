namespace Erp.Db.Queries.StockMovements;

/// <summary>Stock movements: totals over the filter and a page of rows, newest first.</summary>
/// <param name="Query">The filter as asked.</param>
/// <param name="Totals">Sums over every matching movement.</param>
/// <param name="Movements">The page of rows: the latest first (by the time each happened, then by id).</param>
public sealed record StockMovementReport(StockMovementQuery Query, StockMovementTotals Totals, PagedResult<StockMovementRow> Movements);

/// <summary>Sums over the matching movements, in units.</summary>
public sealed record StockMovementTotals
{
    /// <summary>Movements that match.</summary>
    public long Count { get; init; }

    /// <summary>Units the on-hand movements among them brought in (purchases, returns, transfers in, counts that found more).</summary>
    public long OnHandIn { get; init; }

    /// <summary>Units the on-hand movements among them took out (sales, transfers out, damage, counts that found less), as a positive number.</summary>
    public long OnHandOut { get; init; }

    /// <summary><see cref="OnHandIn"/> - <see cref="OnHandOut"/>.</summary>
    public long OnHandChange { get; init; }

    /// <summary>What the reserve and release movements among them did to the reserved quantity.</summary>
    public long ReservedChange { get; init; }
}

/// <summary>One stock movement.</summary>
public sealed record StockMovementRow
{
    /// <summary>Movement id (dw.fact_inventory_transactions.transaction_id).</summary>
    public long TransactionId { get; init; }

    /// <summary>Business day of the movement.</summary>
    public DateOnly TransactionDate { get; init; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The product's SKU.</summary>
    public string Sku { get; init; } = "";

    /// <summary>The product's name.</summary>
    public string ProductName { get; init; } = "";

    /// <summary>The warehouse whose stock it moved.</summary>
    public string Warehouse { get; init; } = "";

    /// <summary>purchase_in, sale_out, return_in, adjustment, transfer_in, transfer_out, damage_out, reserve or release.</summary>
    public string Type { get; init; } = "";

    /// <summary>Units: positive in, negative out (for reserve and release: of the reserved quantity).</summary>
    public int QuantityChange { get; init; }

    /// <summary>Unit cost in CNY the movement carries (purchases, sales, returns), if any.</summary>
    public decimal? UnitCost { get; init; }

    /// <summary>The order number, for a movement an order posted.</summary>
    public string? OrderNo { get; init; }

    /// <summary>The order line, for a movement an order line posted.</summary>
    public int? LineNo { get; init; }

    /// <summary>The document it came from (purchase order, count, order line key), if any.</summary>
    public string? ReferenceNo { get; init; }

    /// <summary>A note, if any.</summary>
    public string? Note { get; init; }

    /// <summary>
    /// The book balance on hand of the product in the warehouse right after this movement: its balance now minus every on-hand
    /// movement that came after it. Negative while goods were shipped that the book did not have.
    /// </summary>
    public long OnHandAfter { get; init; }
}

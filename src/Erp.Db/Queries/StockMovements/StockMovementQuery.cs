namespace Erp.Db.Queries.StockMovements;

/// <summary>The stock movements one by one (<c>erpdb movements</c>), over the reader view <c>mart.stock_movements</c>.</summary>
public sealed record StockMovementQuery
{
    /// <summary>The transaction types a movement can have: on-hand ones, and reserve and release, which move the reserved quantity.</summary>
    public static IReadOnlyList<string> Types { get; } =
        ["purchase_in", "sale_out", "return_in", "adjustment", "transfer_in", "transfer_out", "damage_out", "reserve", "release"];

    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>Only this product's movements (its SKU, as the merchant's files name it); null (default): every product.</summary>
    public string? Sku { get; init; }

    /// <summary>Only this warehouse's movements; null (default): every warehouse.</summary>
    public string? Warehouse { get; init; }

    /// <summary>Only movements of these transaction types (<see cref="Types"/>); null or empty (default): all.</summary>
    public IReadOnlyList<string>? TransactionTypes { get; init; }

    /// <summary>Only the movements that post this order (its order number); null (default): any movement.</summary>
    public string? OrderNo { get; init; }

    /// <summary>The first transaction date listed, included; null (default): no lower bound.</summary>
    public DateOnly? From { get; init; }

    /// <summary>The last transaction date listed, included; null (default): no upper bound.</summary>
    public DateOnly? To { get; init; }

    /// <summary>Which page of rows; the totals cover every matching row.</summary>
    public Paging Paging { get; init; } = new(1, 50);
}

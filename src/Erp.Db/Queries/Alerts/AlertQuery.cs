namespace Erp.Db.Queries.Alerts;

/// <summary>A merchant's alerts (<c>erpdb alerts</c>): low stock, out of stock, stock shortage, overdue receivable; over the reader view <c>mart.alerts</c>.</summary>
public sealed record AlertQuery
{
    /// <summary>The kinds of a merchant's alerts (the others of <c>dw.alerts</c>, about views, belong to no merchant: <c>erpdb doctor</c>).</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["low_stock", "out_of_stock", "stock_shortage", "overdue_receivable"];

    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>True to list only open alerts (not yet resolved).</summary>
    public bool OpenOnly { get; init; }

    /// <summary>Only alerts of these kinds (<see cref="Kinds"/>); null or empty (default): every kind.</summary>
    public IReadOnlyList<string>? OnlyKinds { get; init; }

    /// <summary>Which page: open alerts first, then the newest.</summary>
    public Paging Paging { get; init; } = new(1, 50);
}

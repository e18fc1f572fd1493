namespace Erp.Db.Queries.Alerts;

/// <summary>A merchant's alerts (<c>erpdb alerts</c>): low stock, out of stock, stock shortage, overdue receivable; over the reader view <c>mart.alerts</c>.</summary>
public sealed record AlertQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>True to list only open alerts (not yet resolved).</summary>
    public bool OpenOnly { get; init; }

    /// <summary>Which page: open alerts first, then the newest.</summary>
    public Paging Paging { get; init; } = new(1, 50);
}

using System.Text.Json;

namespace Erp.Db.Queries.Alerts;

/// <summary>A merchant's alerts: how many match, how many are open, and a page of them.</summary>
/// <param name="Total">Alerts that match the filter.</param>
/// <param name="Open">Of those, the open ones.</param>
/// <param name="Alerts">The page: open alerts first, then the newest.</param>
public sealed record AlertReport(long Total, long Open, PagedResult<AlertRow> Alerts)
{
    /// <summary>Per kind that has any, over the same filter as <see cref="Total"/>: how many match and how many are open; by kind.</summary>
    public IReadOnlyList<AlertKindCount> ByKind { get; init; } = [];
}

/// <summary>The alerts of one kind.</summary>
/// <param name="Kind">low_stock, out_of_stock, stock_shortage or overdue_receivable.</param>
/// <param name="Total">Alerts of the kind that match the filter.</param>
/// <param name="Open">Of those, the open ones.</param>
public sealed record AlertKindCount(string Kind, long Total, long Open);

/// <summary>One alert. An alert resolves itself when its condition clears; one open alert per kind and subject.</summary>
/// <param name="AlertId">Alert id.</param>
/// <param name="Kind">low_stock, out_of_stock, stock_shortage or overdue_receivable.</param>
/// <param name="Subject">What it is about: sku@warehouse for stock, the invoice or order number for receivables.</param>
/// <param name="MerchantId">The merchant.</param>
/// <param name="RaisedAt">When it was raised.</param>
/// <param name="ResolvedAt">When its condition ended; null while open.</param>
/// <param name="Details">The figures at the last raise (quantities, amounts, days overdue), a JSON object.</param>
public sealed record AlertRow(long AlertId, string Kind, string Subject, long MerchantId, DateTimeOffset RaisedAt, DateTimeOffset? ResolvedAt, JsonElement Details)
{
    /// <summary>True while the alert is not resolved.</summary>
    public bool Open => ResolvedAt is null;
}

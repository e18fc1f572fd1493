namespace Erp.Db.Queries.Finance;

/// <summary>Receivables, overdue, receipts, expenses and profit per month, over <c>mart.mv_financial_daily</c>.</summary>
public sealed record FinanceQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>The days reported, grouped by calendar month.</summary>
    public required Period Period { get; init; }
}

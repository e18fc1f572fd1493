namespace Erp.Db.Queries.Finance;

/// <summary>Receivables, overdue, receipts, expenses and profit per month, over <c>mart.mv_financial_daily</c>.</summary>
/// <param name="MerchantId">The merchant; isolation is enforced by the database.</param>
/// <param name="Period">The days reported, grouped by calendar month.</param>
public sealed record FinanceQuery(long MerchantId, Period Period);

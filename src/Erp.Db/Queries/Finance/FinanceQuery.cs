namespace Erp.Db.Queries.Finance;

/// <summary>Receivables, overdue, receipts, expenses and profit per month, over <c>mart.mv_financial_overview</c>.</summary>
/// <param name="MerchantId">The merchant; isolation is enforced by the database.</param>
/// <param name="Period">The months that overlap this period are reported.</param>
public sealed record FinanceQuery(long MerchantId, Period Period);

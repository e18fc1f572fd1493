namespace Erp.Db.Queries.Finance;

/// <summary>The SQL of the finance query, over the reader view <c>mart.financial_overview</c>.</summary>
internal static class FinanceSql
{
    private const string Months = """
        SELECT month_start AS month, invoiced_cny AS invoiced, outstanding_cny AS outstanding, overdue_cny AS overdue,
               overdue_count::bigint AS overduecount, receipts_cny AS receipts, expenses_cny AS expenses, gmv_cny AS revenue,
               gross_profit_cny AS grossprofit, net_profit_cny AS netprofit, operating_profit_cny AS operatingprofit,
               net_cash_flow_cny AS netcashflow
          FROM mart.financial_overview
         WHERE month_start BETWEEN date_trunc('month', @start)::date AND @end
        """;

    public const string Report = $"""
        {Months}
         ORDER BY month_start;
        SELECT NULL::date AS month, coalesce(sum(invoiced), 0) AS invoiced, coalesce(sum(outstanding), 0) AS outstanding,
               coalesce(sum(overdue), 0) AS overdue, coalesce(sum(overduecount), 0)::bigint AS overduecount,
               coalesce(sum(receipts), 0) AS receipts, coalesce(sum(expenses), 0) AS expenses, coalesce(sum(revenue), 0) AS revenue,
               coalesce(sum(grossprofit), 0) AS grossprofit, coalesce(sum(netprofit), 0) AS netprofit,
               coalesce(sum(operatingprofit), 0) AS operatingprofit, coalesce(sum(netcashflow), 0) AS netcashflow
          FROM ({Months}) AS months
        """;
}

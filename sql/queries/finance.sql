-- finance: receivables, overdue, receipts, expenses and profit per month over the months
-- [:start, :end] touches, then their totals (month NULL).
-- reads: mart.financial_overview
-- parameters: :start, :end (dates)
-- run: see docs/queries.md
SELECT month_start AS month, invoiced_cny AS invoiced, outstanding_cny AS outstanding, overdue_cny AS overdue,
       overdue_count::bigint AS overduecount, receipts_cny AS receipts, expenses_cny AS expenses, gmv_cny AS revenue,
       gross_profit_cny AS grossprofit, net_profit_cny AS netprofit, operating_profit_cny AS operatingprofit,
       net_cash_flow_cny AS netcashflow
  FROM mart.financial_overview
 WHERE month_start BETWEEN date_trunc('month', :start::date)::date AND :end::date
 ORDER BY month_start;
SELECT NULL::date AS month, coalesce(sum(invoiced_cny), 0) AS invoiced, coalesce(sum(outstanding_cny), 0) AS outstanding,
       coalesce(sum(overdue_cny), 0) AS overdue, coalesce(sum(overdue_count), 0)::bigint AS overduecount,
       coalesce(sum(receipts_cny), 0) AS receipts, coalesce(sum(expenses_cny), 0) AS expenses, coalesce(sum(gmv_cny), 0) AS revenue,
       coalesce(sum(gross_profit_cny), 0) AS grossprofit, coalesce(sum(net_profit_cny), 0) AS netprofit,
       coalesce(sum(operating_profit_cny), 0) AS operatingprofit, coalesce(sum(net_cash_flow_cny), 0) AS netcashflow
  FROM mart.financial_overview
 WHERE month_start BETWEEN date_trunc('month', :start::date)::date AND :end::date;

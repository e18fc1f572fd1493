-- finance: receivables, overdue, receipts, expenses and profit per month over the days [:start, :end]
-- exactly (a month the window cuts counts only its days in the window), then their totals (month NULL).
-- expenses are those stored; orderfees, the platform, payment and shipping fees of the orders dated
-- in the window whatever their status (the platform charged them), are the rest of all_expenses_cny.
-- netprofit subtracts the fees of valid sales only; the cash flow pays every fee:
-- netcashflow = receipts - expenses - orderfees.
-- reads: mart.financial_daily
-- parameters: :start, :end (dates)
-- run: see docs/queries.md
SELECT date_trunc('month', day)::date AS month,
       greatest(date_trunc('month', day)::date, :start::date) AS "from",
       least((date_trunc('month', day) + interval '1 month - 1 day')::date, :end::date) AS "to",
       sum(invoiced_cny) AS invoiced, sum(outstanding_cny) AS outstanding, sum(overdue_cny) AS overdue,
       sum(overdue_count)::bigint AS overduecount, sum(receipts_cny) AS receipts, sum(expenses_cny) AS expenses,
       sum(all_expenses_cny - expenses_cny) AS orderfees, sum(gmv_cny) AS revenue,
       sum(gross_profit_cny) AS grossprofit, sum(net_profit_cny) AS netprofit, sum(operating_profit_cny) AS operatingprofit,
       sum(net_cash_flow_cny) AS netcashflow
  FROM mart.financial_daily
 WHERE day BETWEEN :start::date AND :end::date
 GROUP BY date_trunc('month', day)
 ORDER BY 1;
SELECT NULL::date AS month, coalesce(sum(invoiced_cny), 0) AS invoiced, coalesce(sum(outstanding_cny), 0) AS outstanding,
       coalesce(sum(overdue_cny), 0) AS overdue, coalesce(sum(overdue_count), 0)::bigint AS overduecount,
       coalesce(sum(receipts_cny), 0) AS receipts, coalesce(sum(expenses_cny), 0) AS expenses,
       coalesce(sum(all_expenses_cny - expenses_cny), 0) AS orderfees, coalesce(sum(gmv_cny), 0) AS revenue,
       coalesce(sum(gross_profit_cny), 0) AS grossprofit, coalesce(sum(net_profit_cny), 0) AS netprofit,
       coalesce(sum(operating_profit_cny), 0) AS operatingprofit, coalesce(sum(net_cash_flow_cny), 0) AS netcashflow
  FROM mart.financial_daily
 WHERE day BETWEEN :start::date AND :end::date;

-- finance: receivables, overdue, receipts, expenses and profit per month over the days [:start, :end]
-- exactly (a month the window cuts counts only its days in the window), then their totals: "from" and "to" the
-- window's days, month the month's first day when the window lies in one calendar month (a monthly report), else NULL.
-- Every month the window touches has a row, one without data with its sums 0, so the months add up to the totals.
-- expenses are those stored; orderfees, the platform, payment and shipping fees of the orders dated
-- in the window whatever their status (the platform charged them), are the rest of all_expenses_cny.
-- netprofit subtracts the fees of valid sales only; the cash flow pays every fee:
-- netcashflow = receipts - expenses - orderfees.
-- reads: mart.financial_daily; the months from mart.period_buckets
-- parameters: :start, :end (dates)
-- run: see docs/queries.md
WITH days AS (
    SELECT date_trunc('month', day::timestamp)::date AS month,
           sum(invoiced_cny) AS invoiced, sum(outstanding_cny) AS outstanding, sum(overdue_cny) AS overdue,
           sum(overdue_count)::bigint AS overduecount, sum(receipts_cny) AS receipts, sum(expenses_cny) AS expenses,
           sum(all_expenses_cny - expenses_cny) AS orderfees, sum(gmv_cny) AS revenue,
           sum(gross_profit_cny) AS grossprofit, sum(net_profit_cny) AS netprofit, sum(operating_profit_cny) AS operatingprofit,
           sum(net_cash_flow_cny) AS netcashflow
      FROM mart.financial_daily
     WHERE day BETWEEN :start::date AND :end::date
     GROUP BY 1
),
months AS (
    -- Every month the window touches, from the parameters alone (the figures only from the reader view).
    SELECT b.bucket AS month, b.first_day, b.last_day
      FROM mart.period_buckets('month', :start::date, :end::date) AS b
)
SELECT m.month, m.first_day AS "from", m.last_day AS "to",
       coalesce(d.invoiced, 0) AS invoiced, coalesce(d.outstanding, 0) AS outstanding, coalesce(d.overdue, 0) AS overdue,
       coalesce(d.overduecount, 0) AS overduecount, coalesce(d.receipts, 0) AS receipts, coalesce(d.expenses, 0) AS expenses,
       coalesce(d.orderfees, 0) AS orderfees, coalesce(d.revenue, 0) AS revenue, coalesce(d.grossprofit, 0) AS grossprofit,
       coalesce(d.netprofit, 0) AS netprofit, coalesce(d.operatingprofit, 0) AS operatingprofit, coalesce(d.netcashflow, 0) AS netcashflow
  FROM months AS m
  LEFT JOIN days AS d ON d.month = m.month
 ORDER BY m.month;
SELECT CASE WHEN date_trunc('month', :start::date) = date_trunc('month', :end::date)
            THEN date_trunc('month', :start::date)::date END AS month,
       :start::date AS "from", :end::date AS "to", coalesce(sum(invoiced_cny), 0) AS invoiced, coalesce(sum(outstanding_cny), 0) AS outstanding,
       coalesce(sum(overdue_cny), 0) AS overdue, coalesce(sum(overdue_count), 0)::bigint AS overduecount,
       coalesce(sum(receipts_cny), 0) AS receipts, coalesce(sum(expenses_cny), 0) AS expenses,
       coalesce(sum(all_expenses_cny - expenses_cny), 0) AS orderfees, coalesce(sum(gmv_cny), 0) AS revenue,
       coalesce(sum(gross_profit_cny), 0) AS grossprofit, coalesce(sum(net_profit_cny), 0) AS netprofit,
       coalesce(sum(operating_profit_cny), 0) AS operatingprofit, coalesce(sum(net_cash_flow_cny), 0) AS netcashflow
  FROM mart.financial_daily
 WHERE day BETWEEN :start::date AND :end::date;

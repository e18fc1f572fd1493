-- profit_totals: the merchant's profit over [:start, :end] as one row (definitions in profit.sql):
-- every valid order and every expense without an order (of a shop or of none).
-- reads: mart.daily_sales, dw.fact_expenses
-- parameters: :start, :end (dates)
-- run: see docs/queries.md
WITH sales AS (
    SELECT coalesce(sum(gmv_cny), 0) AS revenue, coalesce(sum(cost_cny), 0) AS cost, coalesce(sum(fees_cny), 0) AS fees,
           coalesce(sum(gross_profit_cny), 0) AS grossprofit, coalesce(sum(net_profit_cny), 0) AS netprofit
      FROM mart.daily_sales
     WHERE sales_date BETWEEN :start::date AND :end::date
),
expenses AS (
    SELECT coalesce(sum(e.amount_cny), 0) AS expenses
      FROM dw.fact_expenses AS e
     WHERE e.merchant_id = (SELECT ops.current_merchant_id()) AND e.order_id IS NULL
       AND e.expense_date BETWEEN :start::date AND :end::date
)
SELECT 'total' AS key, 'Total' AS label, round(revenue, 2) AS revenue, round(cost, 2) AS cost, round(fees, 2) AS fees,
       round(grossprofit, 2) AS grossprofit, round(netprofit, 2) AS netprofit,
       mart.rate(grossprofit, revenue) AS grossmargin, mart.rate(netprofit, revenue) AS netmargin,
       round(expenses, 2) AS expenses, round(netprofit - expenses, 2) AS operatingprofit,
       mart.rate(grossprofit, expenses) AS expenseroi
  FROM sales, expenses;

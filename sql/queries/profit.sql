-- profit: revenue, cost, fees, gross and net profit, margins, expenses, operating profit and the
-- ROI of expenses over [:start, :end] per :by ('shop' or 'platform': largest revenue first;
-- 'period': per :unit bucket 'day', 'week' or 'month', oldest first: every bucket the period touches,
-- under its first day, a bucket without sales or expenses with its sums 0 and its ratios NULL).
-- Each grain reads its view: whole months in the period from mart.profit_analysis (per shop and
-- month; for 'shop', 'platform' and month buckets), whole ISO weeks from mart.weekly_sales, the
-- days of partial weeks and months from mart.daily_sales, so the edges are exact.
-- Definitions (one place, also shown by erpdb profit --help):
--   revenue        GMV of valid orders (dw.is_valid_sale), CNY; cost: their cost of goods;
--   fees           their platform commission, payment fee and shipping
--   gross_profit   revenue - cost; net_profit: gross_profit - fees
--   gross_margin, net_margin = gross_profit / revenue, net_profit / revenue (null without revenue)
--   expenses       dw.fact_expenses without the order fees (order_id set: already in net profit);
--                  those of no shop (shared: rent, salaries, tools) form their own row by shop and platform,
--                  key 'shared', label 'Shared (no shop)', so the rows add up to the totals
--   operating_profit = net_profit - expenses; expense_roi = gross_profit / expenses (null without expenses)
-- reads: mart.profit_analysis, mart.weekly_sales, mart.daily_sales, dw.fact_expenses, dw.dim_shops, dw.dim_platforms;
--        the buckets by period from mart.period_buckets
-- parameters: :start, :end (dates), :unit ('day', 'week' or 'month'; 'month' for shop and platform),
--             :by ('period', 'shop' or 'platform')
-- The merchant filter on dw.fact_expenses repeats what row level security enforces for readers:
-- the owner bypasses RLS, and the scope still has to apply to it.
-- run: see docs/queries.md
WITH sales AS (
    SELECT shop_id, shop_name, platform_code, month_start AS day, order_count, gmv_cny, cost_cny, fees_cny, gross_profit_cny, net_profit_cny
      FROM mart.profit_analysis
     WHERE :unit::text = 'month' AND month_start >= :start::date AND (month_start + interval '1 month')::date - 1 <= :end::date
    UNION ALL
    SELECT shop_id, shop_name, platform_code, week_start, order_count, gmv_cny, cost_cny, fees_cny, gross_profit_cny, net_profit_cny
      FROM mart.weekly_sales
     WHERE :unit::text = 'week' AND week_start >= :start::date AND week_start + 6 <= :end::date
    UNION ALL
    SELECT shop_id, shop_name, platform_code, sales_date, order_count, gmv_cny, cost_cny, fees_cny, gross_profit_cny, net_profit_cny
      FROM mart.daily_sales
     WHERE sales_date BETWEEN :start::date AND :end::date
       AND NOT (:unit::text IN ('week', 'month') AND date_trunc(:unit::text, sales_date)::date >= :start::date
                AND (date_trunc(:unit::text, sales_date) + ('1 ' || :unit::text)::interval)::date - 1 <= :end::date)
),
expenses AS (
    SELECT e.shop_id, s.shop_name, p.platform_code, e.expense_date AS day, e.amount_cny
      FROM dw.fact_expenses AS e
      LEFT JOIN dw.dim_shops AS s ON s.merchant_id = e.merchant_id AND s.shop_id = e.shop_id
      LEFT JOIN dw.dim_platforms AS p ON p.platform_id = s.platform_id
     WHERE e.merchant_id = (SELECT ops.current_merchant_id()) AND e.order_id IS NULL
       AND e.expense_date BETWEEN :start::date AND :end::date
),
lines AS (
    SELECT shop_id, shop_name, platform_code, day, order_count, 0 AS expense_count, gmv_cny, cost_cny, fees_cny, gross_profit_cny, net_profit_cny,
           0::numeric AS expenses_cny
      FROM sales
    UNION ALL
    SELECT shop_id, shop_name, platform_code, day, 0, 1, 0, 0, 0, 0, 0, amount_cny FROM expenses
),
grouped AS (
    -- By period: by the bucket (its first day; no key, the label comes with the bucket); by shop or platform: by key and label.
    -- Expenses of no shop: key 'shared' (never a shop id, which is digits, nor a platform code, which names a platform).
    SELECT CASE :by::text WHEN 'shop' THEN coalesce(shop_id::text, 'shared') WHEN 'platform' THEN coalesce(platform_code, 'shared') END AS key,
           CASE :by::text WHEN 'shop' THEN coalesce(shop_name || ' (' || platform_code || ')', 'Shared (no shop)')
                WHEN 'platform' THEN coalesce(platform_code, 'Shared (no shop)') END AS label,
           CASE WHEN :by::text = 'period' THEN date_trunc(:unit::text, day::timestamp)::date END AS bucket,
           sum(gmv_cny) AS revenue, sum(cost_cny) AS cost, sum(fees_cny) AS fees, sum(gross_profit_cny) AS grossprofit,
           sum(net_profit_cny) AS netprofit, sum(expenses_cny) AS expenses, sum(order_count) AS orders, sum(expense_count) AS expense_rows
      FROM lines
     GROUP BY 1, 2, 3
),
buckets AS (
    -- By period only: the buckets come from the parameters (the figures only from the reader views), so a period
    -- without sales still has a row per bucket.
    SELECT b.bucket, b.label
      FROM mart.period_buckets(:unit::text, :start::date, :end::date) AS b
     WHERE :by::text = 'period'
),
filled AS (
    SELECT NULL::text AS key, b.bucket, b.label, coalesce(g.revenue, 0) AS revenue, coalesce(g.cost, 0) AS cost, coalesce(g.fees, 0) AS fees,
           coalesce(g.grossprofit, 0) AS grossprofit, coalesce(g.netprofit, 0) AS netprofit, coalesce(g.expenses, 0) AS expenses
      FROM buckets AS b
      LEFT JOIN grouped AS g ON g.bucket = b.bucket
    UNION ALL
    -- By shop or platform, only groups with sales or expenses: the views also hold a shop's days of cancelled orders only.
    SELECT key, bucket, label, revenue, cost, fees, grossprofit, netprofit, expenses
      FROM grouped
     WHERE :by::text <> 'period' AND (orders > 0 OR expense_rows > 0)
)
SELECT key, bucket, label, round(revenue, 2) AS revenue, round(cost, 2) AS cost, round(fees, 2) AS fees,
       round(grossprofit, 2) AS grossprofit, round(netprofit, 2) AS netprofit,
       mart.rate(grossprofit, revenue) AS grossmargin, mart.rate(netprofit, revenue) AS netmargin,
       round(expenses, 2) AS expenses, round(netprofit - expenses, 2) AS operatingprofit,
       mart.rate(grossprofit, expenses) AS expenseroi
  FROM filled
 ORDER BY bucket, revenue DESC, key;

-- customers: the customer summary of the scoped merchant, the counts per segment and a sorted list of customers.
-- reads: mart.customer_segments (segments defined in sql/views/mart.mv_customer_segments.sql),
--        dw.fact_sales_orders (the active customers)
-- parameters: :start, :end (dates: active = a valid order (dw.is_valid_sale) on a day from :start to :end, both
--             included; erpdb customers passes the last --period days to today, erpdb report its period),
--             :segment (text, NULL = all),
--             :limit (integer), :sort (an ORDER BY expression from the closed list in CustomerSql.cs,
--             e.g. total_spend_cny DESC; substituted as text, never a user value)
-- run: see docs/queries.md
-- The summary's segment counts are the segments' (first match wins, so they add up to the total with
-- one_time); the repeat rate is the share with 2+ valid orders, whatever their segment (NULL without customers).
-- The active customers are counted from the orders: a customer's first and last order cannot say whether
-- they ordered in a period that ended before their last order. The merchant filter on dw.fact_sales_orders
-- repeats what row level security enforces for readers: the owner bypasses RLS, and the scope still has to apply to it.
SELECT count(*) AS totalcustomers,
       (SELECT count(DISTINCT o.customer_id)
          FROM dw.fact_sales_orders AS o
         WHERE o.merchant_id = (SELECT ops.current_merchant_id()) AND o.customer_id IS NOT NULL
           AND o.order_date BETWEEN :start::date AND :end::date AND dw.is_valid_sale(o.status)) AS activecustomers,
       count(*) FILTER (WHERE segment = 'new') AS newcustomers,
       count(*) FILTER (WHERE segment = 'repeat') AS repeatcustomers,
       count(*) FILTER (WHERE segment = 'churned') AS churnedcustomers,
       count(*) FILTER (WHERE segment = 'vip') AS vipcustomers,
       count(*) FILTER (WHERE segment = 'one_time') AS onetimecustomers,
       mart.rate(count(*) FILTER (WHERE order_count >= 2), count(*)) AS repeatrate
  FROM mart.customer_segments;
SELECT segment, count(*) AS count, coalesce(sum(total_spend_cny), 0) AS revenue,
       coalesce(round(avg(total_spend_cny), 2), 0) AS averagerevenue
  FROM mart.customer_segments
 GROUP BY segment
 ORDER BY segment;
SELECT customer_id AS customerid, customer_code AS customercode, segment, total_spend_cny AS revenue,
       order_count AS orders, first_order_date AS firstorderdate, last_order_date AS lastorderdate
  FROM mart.customer_segments
 WHERE :segment::text IS NULL OR segment = :segment::text
 ORDER BY :sort, customer_id
 LIMIT :limit;

-- customers: the customer summary of the scoped merchant, the counts per segment and a sorted list of customers.
-- reads: mart.customer_segments (segments defined in sql/views/mart.mv_customer_segments.sql)
-- parameters: :period_days (integer: active = last order within the last period_days days, today included,
--             as meta.period says), :segment (text, NULL = all),
--             :limit (integer), :sort (an ORDER BY expression from the closed list in CustomerSql.cs,
--             e.g. total_spend_cny DESC; substituted as text, never a user value)
-- run: see docs/queries.md
-- The summary's segment counts are the segments' (first match wins, so they add up to the total with
-- one_time); the repeat rate is the share with 2+ valid orders, whatever their segment.
SELECT count(*) AS totalcustomers,
       count(*) FILTER (WHERE last_order_date > CURRENT_DATE - :period_days::integer) AS activecustomers,
       count(*) FILTER (WHERE segment = 'new') AS newcustomers,
       count(*) FILTER (WHERE segment = 'repeat') AS repeatcustomers,
       count(*) FILTER (WHERE segment = 'churned') AS churnedcustomers,
       count(*) FILTER (WHERE segment = 'vip') AS vipcustomers,
       count(*) FILTER (WHERE segment = 'one_time') AS onetimecustomers,
       coalesce(round(count(*) FILTER (WHERE order_count >= 2)::numeric / nullif(count(*), 0), 4), 0) AS repeatrate
  FROM mart.customer_segments;
SELECT segment, count(*) AS count, coalesce(sum(total_spend_cny), 0) AS revenue,
       coalesce(round(avg(total_spend_cny), 2), 0) AS averagerevenue
  FROM mart.customer_segments
 GROUP BY segment
 ORDER BY segment;
SELECT customer_id AS customerid, customer_code AS customercode, segment, total_spend_cny AS totalrevenue,
       order_count AS ordercount, first_order_date AS firstorderdate, last_order_date AS lastorderdate
  FROM mart.customer_segments
 WHERE :segment::text IS NULL OR segment = :segment::text
 ORDER BY :sort, customer_id
 LIMIT :limit;

-- funnel: the traffic funnel over [:start, :end] per :by ('period': per :unit bucket 'day', 'week'
-- or 'month', oldest first, every bucket the period touches under its first day, one without traffic
-- with counts 0 and rates NULL; 'shop' or 'platform': most visitors first, only groups with traffic);
-- then the totals of the whole period.
-- Definitions (one place, also shown by erpdb funnel --help):
--   visitors       visits (sessions) as the platform counts them; unique_visitors: distinct per day, summed
--   add_to_cart, checkout: visits that added to cart, that started checkout
--   orders         orders as the traffic report counts them
--   visitor_to_cart_rate = add_to_cart / visitors; cart_to_checkout_rate = checkout / add_to_cart;
--   checkout_to_order_rate = orders / checkout; conversion_rate (overall) = orders / visitors;
--   each null when its denominator is 0
-- reads: mart.traffic_funnel_daily; the buckets by period from mart.period_buckets
-- parameters: :start, :end (dates), :unit ('day', 'week' or 'month'), :by ('period', 'shop' or 'platform')
-- run: see docs/queries.md
WITH keyed AS (
    -- By period: by the bucket (its first day; no key, the label comes with the bucket); by shop or platform: by key and label.
    SELECT CASE :by::text WHEN 'shop' THEN f.shop_id::text WHEN 'platform' THEN f.platform_code END AS key,
           CASE :by::text WHEN 'shop' THEN f.shop_name || ' (' || f.platform_code || ')' WHEN 'platform' THEN f.platform_code END AS label,
           CASE WHEN :by::text = 'period' THEN date_trunc(:unit::text, f.traffic_date::timestamp)::date END AS bucket,
           f.visitors, f.unique_visitors, f.add_to_cart, f.checkout, f.orders
      FROM mart.traffic_funnel_daily AS f
     WHERE f.traffic_date BETWEEN :start::date AND :end::date
),
grouped AS (
    SELECT key, label, bucket, sum(visitors)::bigint AS visitors, sum(unique_visitors)::bigint AS uniquevisitors,
           sum(add_to_cart)::bigint AS addtocart, sum(checkout)::bigint AS checkout, sum(orders)::bigint AS orders
      FROM keyed
     GROUP BY key, label, bucket
),
buckets AS (
    -- By period only: the buckets come from the parameters (the counts only from the reader view), so a period
    -- without traffic still has a row per bucket.
    SELECT b.bucket, b.label
      FROM mart.period_buckets(:unit::text, :start::date, :end::date) AS b
     WHERE :by::text = 'period'
),
filled AS (
    SELECT NULL::text AS key, b.bucket, b.label, coalesce(g.visitors, 0) AS visitors, coalesce(g.uniquevisitors, 0) AS uniquevisitors,
           coalesce(g.addtocart, 0) AS addtocart, coalesce(g.checkout, 0) AS checkout, coalesce(g.orders, 0) AS orders
      FROM buckets AS b
      LEFT JOIN grouped AS g ON g.bucket = b.bucket
    UNION ALL
    SELECT key, bucket, label, visitors, uniquevisitors, addtocart, checkout, orders
      FROM grouped
     WHERE :by::text <> 'period'
)
SELECT key, bucket, label, visitors, uniquevisitors, addtocart, checkout, orders,
       mart.rate(addtocart, visitors) AS visitortocartrate,
       mart.rate(checkout, addtocart) AS carttocheckoutrate,
       mart.rate(orders, checkout) AS checkouttoorderrate,
       mart.rate(orders, visitors) AS conversionrate
  FROM filled
 ORDER BY bucket, visitors DESC, key;
SELECT 'total' AS key, 'Total' AS label, coalesce(sum(visitors), 0)::bigint AS visitors, coalesce(sum(unique_visitors), 0)::bigint AS uniquevisitors,
       coalesce(sum(add_to_cart), 0)::bigint AS addtocart, coalesce(sum(checkout), 0)::bigint AS checkout, coalesce(sum(orders), 0)::bigint AS orders,
       mart.rate(sum(add_to_cart), sum(visitors)) AS visitortocartrate,
       mart.rate(sum(checkout), sum(add_to_cart)) AS carttocheckoutrate,
       mart.rate(sum(orders), sum(checkout)) AS checkouttoorderrate,
       mart.rate(sum(orders), sum(visitors)) AS conversionrate
  FROM mart.traffic_funnel_daily
 WHERE traffic_date BETWEEN :start::date AND :end::date;

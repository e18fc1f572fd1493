-- mart.mv_customer_segments: one row per merchant and customer with their order history and
-- segment, for the customers query (counts per segment are a GROUP BY over it).
-- requires: dw.fact_sales_orders, dw.dim_customers, dw.dim_user_levels, dw.is_valid_sale
-- Over valid orders (dw.is_valid_sale: not cancelled, refunded or returned) of customers known to the order, as of
-- today. Segments, first match wins:
--   churned  no order in the last 90 days
--   vip      lifetime spend >= the min_spend_cny of user level 'platinum' (dw.dim_user_levels; 5000 CNY as seeded)
--   new      first order within the last 30 days
--   repeat   2 or more orders
--   one_time exactly one order, placed 30 to 90 days ago
-- is_vip is the spend rule alone, so a churned VIP is still visible as one.

DROP MATERIALIZED VIEW IF EXISTS mart.mv_customer_segments CASCADE;

CREATE MATERIALIZED VIEW mart.mv_customer_segments AS
WITH history AS (
    SELECT o.merchant_id, o.customer_id,
           min(o.order_date) AS first_order_date,
           max(o.order_date) AS last_order_date,
           count(*) AS order_count,
           sum(o.gmv_cny) AS total_spend_cny
    FROM dw.fact_sales_orders AS o
    WHERE o.customer_id IS NOT NULL
      AND dw.is_valid_sale(o.status)
    GROUP BY o.merchant_id, o.customer_id
),
vip AS (
    SELECT coalesce((SELECT l.min_spend_cny FROM dw.dim_user_levels AS l WHERE l.level_code = 'platinum'), 5000) AS min_spend_cny
)
SELECT h.merchant_id,
       h.customer_id,
       c.customer_code,
       c.user_level_id,
       c.region_id,
       c.channel_id,
       h.first_order_date,
       h.last_order_date,
       h.order_count,
       round(h.total_spend_cny, 2) AS total_spend_cny,
       round(h.total_spend_cny / h.order_count, 2) AS aov_cny,
       CURRENT_DATE - h.last_order_date AS days_since_last_order,
       h.total_spend_cny >= v.min_spend_cny AS is_vip,
       CASE
           WHEN h.last_order_date < CURRENT_DATE - 90 THEN 'churned'
           WHEN h.total_spend_cny >= v.min_spend_cny THEN 'vip'
           WHEN h.first_order_date >= CURRENT_DATE - 30 THEN 'new'
           WHEN h.order_count >= 2 THEN 'repeat'
           ELSE 'one_time'
       END AS segment
FROM history AS h
CROSS JOIN vip AS v
JOIN dw.dim_customers AS c ON c.merchant_id = h.merchant_id AND c.customer_id = h.customer_id
WITH DATA;

CREATE UNIQUE INDEX mv_customer_segments_key ON mart.mv_customer_segments (merchant_id, customer_id);
CREATE INDEX mv_customer_segments_segment_idx ON mart.mv_customer_segments (merchant_id, segment);
CREATE INDEX mv_customer_segments_first_order_idx ON mart.mv_customer_segments (merchant_id, first_order_date);
CREATE INDEX mv_customer_segments_spend_idx ON mart.mv_customer_segments (merchant_id, total_spend_cny DESC);

COMMENT ON MATERIALIZED VIEW mart.mv_customer_segments IS 'Per merchant and customer: first/last order, orders, spend, AOV and segment (churned > vip > new > repeat > one_time; definitions in sql/views/mart.mv_customer_segments.sql). Readers use mart.customer_segments.';
COMMENT ON COLUMN mart.mv_customer_segments.segment IS 'churned: no order in 90 days; vip: spend >= platinum level threshold; new: first order within 30 days; repeat: 2+ orders; one_time: otherwise. First match wins.';
COMMENT ON COLUMN mart.mv_customer_segments.is_vip IS 'Lifetime spend >= the platinum level threshold, whatever the segment.';
COMMENT ON COLUMN mart.mv_customer_segments.total_spend_cny IS 'Lifetime GMV of the customer''s valid orders, in CNY.';

REVOKE ALL ON mart.mv_customer_segments FROM PUBLIC;

SELECT ops.register_view('mart.mv_customer_segments', '$default_refresh_interval$', '$default_stale_after$', true,
    'Customers per merchant with history and segment.');

CREATE OR REPLACE VIEW mart.customer_segments WITH (security_barrier) AS
    SELECT * FROM mart.mv_customer_segments WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.customer_segments IS 'Reader view of mart.mv_customer_segments: the transaction''s merchant only.';
GRANT SELECT ON mart.customer_segments TO erp_reader;

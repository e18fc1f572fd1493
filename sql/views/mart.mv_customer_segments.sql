-- mart.mv_customer_segments: one row per merchant and customer with their order history and
-- segment, for the customers query (counts per segment are a GROUP BY over it), and the
-- per-customer revenue that mart.mv_customer_cohorts sums per first-order month.
-- requires: dw.fact_sales_orders, dw.dim_customers, dw.dim_user_levels, dw.is_valid_sale, dw.customer_segment
-- Over valid orders (dw.is_valid_sale: not cancelled, refunded or returned) of customers known to
-- the order. Segments (dw.customer_segment, first match wins): churned (no order in the last 90
-- days), vip (lifetime spend >= the min_spend_cny of user level 'platinum' in dw.dim_user_levels;
-- 5000 CNY when absent), new (first order within 30 days), repeat (2+ orders), one_time.
-- is_vip is the spend rule alone, so a churned VIP is still visible as one.
-- A per-customer incremental aggregate (docs/refresh.md, "Per-customer aggregates"): a table that
-- only the refresh functions write, filled by mart.mv_customer_segments_rows; a due refresh
-- adds the day's new orders to their customers' rows and recomputes from the orders only the
-- customers whose orders were updated or deleted or whose customer row changed
-- (ops.customer_invalidations), and on a new day re-evaluates the segments, writing the rows whose
-- segment changes.
-- days_since_last_order depends on the day of reading: the reader view computes it.

SELECT ops.drop_mart_relation('mart.mv_customer_segments');

CREATE TABLE mart.mv_customer_segments (
    merchant_id       bigint  NOT NULL,
    customer_id       bigint  NOT NULL,
    customer_code     text,
    user_level_id     smallint,
    region_id         integer,
    channel_id        smallint,
    first_order_date  date    NOT NULL,
    last_order_date   date    NOT NULL,
    order_count       bigint  NOT NULL,
    total_spend_cny   numeric NOT NULL,
    aov_cny           numeric NOT NULL,
    is_vip            boolean NOT NULL,
    segment           text    NOT NULL,
    revenue_30d_cny   numeric NOT NULL,
    revenue_90d_cny   numeric NOT NULL,
    revenue_365d_cny  numeric NOT NULL
);

-- The aggregate's rows on day as_of: for the customers (merchants[i], customers[i]), or, with
-- customers NULL, for every customer of the merchants (NULL: all).
CREATE FUNCTION mart.mv_customer_segments_rows(merchants bigint[], customers bigint[], as_of date)
RETURNS SETOF mart.mv_customer_segments
LANGUAGE sql
STABLE
BEGIN ATOMIC
WITH valid AS (
    SELECT o.merchant_id, o.customer_id, o.order_date, o.gmv_cny
    FROM dw.fact_sales_orders AS o
    WHERE customers IS NULL AND (merchants IS NULL OR o.merchant_id = ANY (merchants))
      AND o.customer_id IS NOT NULL AND dw.is_valid_sale(o.status)
    UNION ALL
    -- One index lookup per customer and partition (OFFSET 0 keeps the planner from hashing every
    -- order instead, which it prefers for a few hundred customers over many partitions).
    SELECT o.merchant_id, o.customer_id, o.order_date, o.gmv_cny
    FROM unnest(merchants, customers) AS k (merchant_id, customer_id)
    CROSS JOIN LATERAL (
        SELECT f.merchant_id, f.customer_id, f.order_date, f.gmv_cny
        FROM dw.fact_sales_orders AS f
        WHERE f.merchant_id = k.merchant_id AND f.customer_id = k.customer_id AND dw.is_valid_sale(f.status)
        OFFSET 0) AS o
    WHERE customers IS NOT NULL
),
history AS (
    SELECT f.merchant_id, f.customer_id,
           min(f.order_date) AS first_order_date,
           max(f.order_date) AS last_order_date,
           count(*) AS order_count,
           sum(f.gmv_cny) AS total_spend_cny,
           coalesce(sum(f.gmv_cny) FILTER (WHERE f.order_date < f.first_day + 30), 0) AS revenue_30d,
           coalesce(sum(f.gmv_cny) FILTER (WHERE f.order_date < f.first_day + 90), 0) AS revenue_90d,
           coalesce(sum(f.gmv_cny) FILTER (WHERE f.order_date < f.first_day + 365), 0) AS revenue_365d
    FROM (SELECT v.merchant_id, v.customer_id, v.order_date, v.gmv_cny,
                 min(v.order_date) OVER (PARTITION BY v.merchant_id, v.customer_id) AS first_day
          FROM valid AS v) AS f
    GROUP BY f.merchant_id, f.customer_id
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
       h.total_spend_cny >= v.min_spend_cny AS is_vip,
       dw.customer_segment(h.first_order_date, h.last_order_date, h.order_count, h.total_spend_cny >= v.min_spend_cny, as_of) AS segment,
       h.revenue_30d AS revenue_30d_cny,
       h.revenue_90d AS revenue_90d_cny,
       h.revenue_365d AS revenue_365d_cny
FROM history AS h
CROSS JOIN vip AS v
JOIN dw.dim_customers AS c ON c.merchant_id = h.merchant_id AND c.customer_id = h.customer_id;
END;

-- The fill consumes the log entries in the same statement (one snapshot): those of the orders it
-- read go, so no inserted order is added to a history again by the next refresh.
WITH filled AS (
    INSERT INTO mart.mv_customer_segments SELECT * FROM mart.mv_customer_segments_rows(NULL, NULL, CURRENT_DATE) RETURNING 1
),
consumed AS (
    DELETE FROM ops.customer_invalidations WHERE view_name = 'mart.mv_customer_segments'
)
SELECT count(*) FROM filled;

CREATE UNIQUE INDEX mv_customer_segments_key ON mart.mv_customer_segments (merchant_id, customer_id);
CREATE INDEX mv_customer_segments_segment_idx ON mart.mv_customer_segments (merchant_id, segment);
CREATE INDEX mv_customer_segments_first_order_idx ON mart.mv_customer_segments (merchant_id, first_order_date);
CREATE INDEX mv_customer_segments_spend_idx ON mart.mv_customer_segments (merchant_id, total_spend_cny DESC);
ANALYZE mart.mv_customer_segments;

COMMENT ON TABLE mart.mv_customer_segments IS 'Per merchant and customer: first/last order, orders, spend, AOV, segment (dw.customer_segment: churned > vip > new > repeat > one_time) and the revenue within 30/90/365 days of the first order. A per-customer incremental aggregate that only the refresh functions write. Readers use mart.customer_segments. Base of mart.mv_customer_cohorts.';
COMMENT ON COLUMN mart.mv_customer_segments.segment IS 'churned: no order in 90 days; vip: spend >= platinum level threshold; new: first order within 30 days; repeat: 2+ orders; one_time: otherwise. First match wins, as of ops.mv_registry.as_of_date (dw.customer_segment).';
COMMENT ON COLUMN mart.mv_customer_segments.is_vip IS 'Lifetime spend >= the platinum level threshold, whatever the segment.';
COMMENT ON COLUMN mart.mv_customer_segments.total_spend_cny IS 'Lifetime GMV of the customer''s valid orders, in CNY.';
COMMENT ON COLUMN mart.mv_customer_segments.revenue_30d_cny IS 'GMV of the customer''s valid orders on the day of their first order and the 29 days after, CNY (summed per cohort by mart.mv_customer_cohorts).';
COMMENT ON COLUMN mart.mv_customer_segments.revenue_90d_cny IS 'The same within 90 days.';
COMMENT ON COLUMN mart.mv_customer_segments.revenue_365d_cny IS 'The same within 365 days.';
COMMENT ON FUNCTION mart.mv_customer_segments_rows(bigint[], bigint[], date) IS 'The rows of mart.mv_customer_segments on day as_of for the customers (merchants[i], customers[i]), or with customers NULL for every customer of the merchants (NULL: all): what its refresh inserts.';

REVOKE ALL ON mart.mv_customer_segments FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.customer_segments.
SELECT ops.enable_reader_scope('mart.mv_customer_segments');
REVOKE EXECUTE ON FUNCTION mart.mv_customer_segments_rows(bigint[], bigint[], date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_customer_segments', 'mart.mv_customer_segments_rows(bigint[], bigint[], date)', 'customer_id', 'customer',
    '$default_refresh_interval$', '$default_stale_after$', 'Customers per merchant with history and segment.');
-- The fill above evaluated the segments for today.
UPDATE ops.mv_registry SET as_of_date = CURRENT_DATE WHERE view_name = 'mart.mv_customer_segments';

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan. The
-- filter scopes callers that row level security does not (the owner, an app login that owns).
-- The columns of the materialized view this table replaced, days_since_last_order computed on
-- reading (it changes every day for every customer); the cohort revenue columns are left out.
CREATE OR REPLACE VIEW mart.customer_segments WITH (security_invoker) AS
    SELECT s.merchant_id, s.customer_id, s.customer_code, s.user_level_id, s.region_id, s.channel_id,
           s.first_order_date, s.last_order_date, s.order_count, s.total_spend_cny, s.aov_cny,
           CURRENT_DATE - s.last_order_date AS days_since_last_order,
           s.is_vip, s.segment
    FROM mart.mv_customer_segments AS s
    WHERE s.merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.customer_segments IS 'Reader view of mart.mv_customer_segments (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()); days_since_last_order is computed on reading.';
GRANT SELECT ON mart.customer_segments TO erp_reader;

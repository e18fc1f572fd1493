-- mart.mv_customer_cohorts: customers per merchant and first-order month (the cohort), with the
-- revenue the cohort's customers brought within 30, 90 and 365 days of their own first order.
-- requires: dw.fact_sales_orders, dw.is_valid_sale
-- A customer's first order is their first valid order (dw.is_valid_sale) with that merchant;
-- "within N days" is the first order's day and the N - 1 days after it. LTV N = revenue_Nd_cny /
-- customers, complete once N days have passed since the cohort month's last day (computed by
-- sql/queries/users.sql, since it depends on today). Orders without a customer are left out.

DROP MATERIALIZED VIEW IF EXISTS mart.mv_customer_cohorts CASCADE;

CREATE MATERIALIZED VIEW mart.mv_customer_cohorts AS
WITH valid AS (
    SELECT o.merchant_id, o.customer_id, o.order_date, o.gmv_cny
    FROM dw.fact_sales_orders AS o
    WHERE dw.is_valid_sale(o.status) AND o.customer_id IS NOT NULL
),
firsts AS (
    SELECT v.merchant_id, v.customer_id, min(v.order_date) AS first_order_date
    FROM valid AS v
    GROUP BY v.merchant_id, v.customer_id
),
per_customer AS (
    SELECT f.merchant_id, f.customer_id, f.first_order_date,
           coalesce(sum(v.gmv_cny) FILTER (WHERE v.order_date < f.first_order_date + 30), 0) AS revenue_30d,
           coalesce(sum(v.gmv_cny) FILTER (WHERE v.order_date < f.first_order_date + 90), 0) AS revenue_90d,
           coalesce(sum(v.gmv_cny), 0) AS revenue_365d
    FROM firsts AS f
    JOIN valid AS v ON v.merchant_id = f.merchant_id AND v.customer_id = f.customer_id
                   AND v.order_date < f.first_order_date + 365
    GROUP BY f.merchant_id, f.customer_id, f.first_order_date
)
SELECT c.merchant_id,
       date_trunc('month', c.first_order_date)::date AS cohort_month,
       count(*) AS customers,
       round(sum(c.revenue_30d), 2) AS revenue_30d_cny,
       round(sum(c.revenue_90d), 2) AS revenue_90d_cny,
       round(sum(c.revenue_365d), 2) AS revenue_365d_cny
FROM per_customer AS c
GROUP BY c.merchant_id, date_trunc('month', c.first_order_date)
WITH DATA;

CREATE UNIQUE INDEX mv_customer_cohorts_key ON mart.mv_customer_cohorts (merchant_id, cohort_month);

COMMENT ON MATERIALIZED VIEW mart.mv_customer_cohorts IS 'Customers per merchant and first-order month with their revenue within 30, 90 and 365 days of their first order (LTV = revenue / customers). Readers use mart.customer_cohorts.';
COMMENT ON COLUMN mart.mv_customer_cohorts.cohort_month IS 'First day of the month of the customers'' first valid order.';
COMMENT ON COLUMN mart.mv_customer_cohorts.revenue_30d_cny IS 'GMV of the cohort''s valid orders on the day of each customer''s first order and the 29 days after, CNY.';
COMMENT ON COLUMN mart.mv_customer_cohorts.revenue_90d_cny IS 'The same within 90 days.';
COMMENT ON COLUMN mart.mv_customer_cohorts.revenue_365d_cny IS 'The same within 365 days.';

REVOKE ALL ON mart.mv_customer_cohorts FROM PUBLIC;

SELECT ops.register_view('mart.mv_customer_cohorts', '$default_refresh_interval$', '$default_stale_after$', true,
    'Customers per merchant and first-order month with their 30/90/365-day revenue.');

CREATE OR REPLACE VIEW mart.customer_cohorts WITH (security_barrier) AS
    SELECT * FROM mart.mv_customer_cohorts WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.customer_cohorts IS 'Reader view of mart.mv_customer_cohorts: the transaction''s merchant only.';
GRANT SELECT ON mart.customer_cohorts TO erp_reader;

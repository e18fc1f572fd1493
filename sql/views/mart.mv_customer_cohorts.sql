-- mart.mv_customer_cohorts: customers per merchant and first-order month (the cohort), with the
-- revenue the cohort's customers brought within 30, 90 and 365 days of their own first order.
-- requires: mart.mv_customer_segments
-- A customer's first order is their first valid order (dw.is_valid_sale) with that merchant;
-- "within N days" is the first order's day and the N - 1 days after it. LTV N = revenue_Nd_cny /
-- customers, complete once N days have passed since the cohort month's last day (computed by
-- sql/queries/users.sql, since it depends on today). Orders without a customer are left out.
-- An incremental aggregate by month (docs/refresh.md) over the per-customer history of
-- mart.mv_customer_segments: when that refresh recomputes customers, it invalidates the cohort
-- months they were and are in, and this refresh re-sums only those months.

SELECT ops.drop_mart_relation('mart.mv_customer_cohorts');

CREATE TABLE mart.mv_customer_cohorts (
    merchant_id       bigint  NOT NULL,
    cohort_month      date    NOT NULL,
    customers         bigint  NOT NULL,
    revenue_30d_cny   numeric NOT NULL,
    revenue_90d_cny   numeric NOT NULL,
    revenue_365d_cny  numeric NOT NULL
);

-- The aggregate's rows for some merchants (NULL: all) and the cohort months of first_day..last_day.
CREATE FUNCTION mart.mv_customer_cohorts_rows(merchants bigint[], first_day date, last_day date)
RETURNS SETOF mart.mv_customer_cohorts
LANGUAGE sql
STABLE
BEGIN ATOMIC
SELECT c.merchant_id,
       date_trunc('month', c.first_order_date)::date AS cohort_month,
       count(*) AS customers,
       round(sum(c.revenue_30d_cny), 2) AS revenue_30d_cny,
       round(sum(c.revenue_90d_cny), 2) AS revenue_90d_cny,
       round(sum(c.revenue_365d_cny), 2) AS revenue_365d_cny
FROM mart.mv_customer_segments AS c
WHERE (merchants IS NULL OR c.merchant_id = ANY (merchants))
  AND c.first_order_date BETWEEN first_day AND last_day
GROUP BY c.merchant_id, date_trunc('month', c.first_order_date);
END;

INSERT INTO mart.mv_customer_cohorts SELECT * FROM mart.mv_customer_cohorts_rows(NULL, '-infinity', 'infinity');

CREATE UNIQUE INDEX mv_customer_cohorts_key ON mart.mv_customer_cohorts (merchant_id, cohort_month);
ANALYZE mart.mv_customer_cohorts;

COMMENT ON TABLE mart.mv_customer_cohorts IS 'Customers per merchant and first-order month with their revenue within 30, 90 and 365 days of their first order (LTV = revenue / customers). An incremental aggregate (by month, over mart.mv_customer_segments) that only the refresh functions write. Readers use mart.customer_cohorts.';
COMMENT ON COLUMN mart.mv_customer_cohorts.cohort_month IS 'First day of the month of the customers'' first valid order.';
COMMENT ON COLUMN mart.mv_customer_cohorts.revenue_30d_cny IS 'GMV of the cohort''s valid orders on the day of each customer''s first order and the 29 days after, CNY.';
COMMENT ON COLUMN mart.mv_customer_cohorts.revenue_90d_cny IS 'The same within 90 days.';
COMMENT ON COLUMN mart.mv_customer_cohorts.revenue_365d_cny IS 'The same within 365 days.';
COMMENT ON FUNCTION mart.mv_customer_cohorts_rows(bigint[], date, date) IS 'The rows of mart.mv_customer_cohorts for the given merchants (NULL: all) and the cohort months of the given days: what its refresh inserts.';

REVOKE ALL ON mart.mv_customer_cohorts FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.customer_cohorts.
SELECT ops.enable_reader_scope('mart.mv_customer_cohorts');
REVOKE EXECUTE ON FUNCTION mart.mv_customer_cohorts_rows(bigint[], date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_customer_cohorts', 'mart.mv_customer_cohorts_rows(bigint[], date, date)', 'cohort_month', 'month',
    '$default_refresh_interval$', '$default_stale_after$', 'Customers per merchant and first-order month with their 30/90/365-day revenue.');

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan. The
-- filter scopes callers that row level security does not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.customer_cohorts WITH (security_invoker) AS
    SELECT * FROM mart.mv_customer_cohorts WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.customer_cohorts IS 'Reader view of mart.mv_customer_cohorts (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.customer_cohorts TO erp_reader;

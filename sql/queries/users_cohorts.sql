-- users_cohorts: LTV by first-order cohort month, for the months [:start, :end] touches, oldest first.
-- Definitions (one place, also shown by erpdb users --help):
--   ltv_30/90/365  revenue (GMV of valid orders, CNY) of the cohort's customers within 30, 90 and
--                  365 days of each one's first order (its day and the N - 1 days after) / the
--                  cohort's customers; null until those N days have passed for every customer the
--                  cohort can hold (the month's last day + N <= today)
-- reads: mart.customer_cohorts
-- parameters: :start, :end (dates)
-- run: see docs/queries.md
SELECT c.cohort_month AS cohortmonth, c.customers,
       CASE WHEN (c.cohort_month + interval '1 month')::date - 1 + 30 <= CURRENT_DATE THEN round(c.revenue_30d_cny / c.customers, 2) END AS ltv30,
       CASE WHEN (c.cohort_month + interval '1 month')::date - 1 + 90 <= CURRENT_DATE THEN round(c.revenue_90d_cny / c.customers, 2) END AS ltv90,
       CASE WHEN (c.cohort_month + interval '1 month')::date - 1 + 365 <= CURRENT_DATE THEN round(c.revenue_365d_cny / c.customers, 2) END AS ltv365
  FROM mart.customer_cohorts AS c
 WHERE c.cohort_month BETWEEN date_trunc('month', :start::date)::date AND :end::date
 ORDER BY c.cohort_month;

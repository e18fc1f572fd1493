-- mart.mv_user_activity_daily: user activity and sales revenue per merchant and day: active, new,
-- returning and paying users, sessions and their total length, page views, the day's new-user
-- cohort with the users retained after 1, 7 and 30 days, and the day's sales revenue.
-- requires: dw.fact_user_activity, mart.mv_daily_sales
-- The base of erpdb users (sql/queries/users.sql, which holds the metric definitions). Shops are
-- summed: a user active in two shops counts twice, as the facts count users per shop. Retention
-- is kept as counts (cohort size and retained users, retention share x cohort) over the shops
-- whose retention is known, so any bucket's retention is one division. Revenue is the GMV of
-- valid orders (dw.is_valid_sale, through mart.mv_daily_sales), so it agrees with erpdb sales.
-- An incremental aggregate (docs/refresh.md): a table that only the refresh functions write,
-- filled by mart.mv_user_activity_daily_rows; a due refresh recomputes only the (merchant, day)
-- buckets that writes to dw.fact_user_activity (by activity_date) invalidated and the days
-- mart.mv_daily_sales rewrote (it is built on it, so the base-aggregate mechanism logs them).

SELECT ops.drop_mart_relation('mart.mv_user_activity_daily');

CREATE TABLE mart.mv_user_activity_daily (
    merchant_id      bigint  NOT NULL,
    activity_date    date    NOT NULL,
    active_users     bigint  NOT NULL,
    new_users        bigint  NOT NULL,
    returning_users  bigint  NOT NULL,
    paying_users     bigint  NOT NULL,
    sessions         bigint  NOT NULL,
    timed_sessions   bigint  NOT NULL,
    session_seconds  numeric NOT NULL,
    page_views       bigint  NOT NULL,
    d1_cohort        bigint  NOT NULL,
    d1_retained      numeric NOT NULL,
    d7_cohort        bigint  NOT NULL,
    d7_retained      numeric NOT NULL,
    d30_cohort       bigint  NOT NULL,
    d30_retained     numeric NOT NULL,
    revenue_cny      numeric NOT NULL
);

-- The aggregate's rows for some merchants (NULL: all) and the days first_day..last_day.
CREATE FUNCTION mart.mv_user_activity_daily_rows(merchants bigint[], first_day date, last_day date)
RETURNS SETOF mart.mv_user_activity_daily
LANGUAGE sql
STABLE
BEGIN ATOMIC
WITH activity AS (
    SELECT a.merchant_id, a.activity_date,
           sum(a.active_users)::bigint AS active_users,
           sum(a.new_users)::bigint AS new_users,
           sum(a.returning_users)::bigint AS returning_users,
           sum(a.paying_users)::bigint AS paying_users,
           sum(a.sessions)::bigint AS sessions,
           coalesce(sum(a.sessions) FILTER (WHERE a.avg_session_seconds IS NOT NULL), 0)::bigint AS timed_sessions,
           coalesce(sum(a.avg_session_seconds * a.sessions), 0) AS session_seconds,
           sum(a.page_views)::bigint AS page_views,
           coalesce(sum(a.new_users) FILTER (WHERE a.retention_d1 IS NOT NULL), 0)::bigint AS d1_cohort,
           coalesce(sum(a.retention_d1 * a.new_users), 0) AS d1_retained,
           coalesce(sum(a.new_users) FILTER (WHERE a.retention_d7 IS NOT NULL), 0)::bigint AS d7_cohort,
           coalesce(sum(a.retention_d7 * a.new_users), 0) AS d7_retained,
           coalesce(sum(a.new_users) FILTER (WHERE a.retention_d30 IS NOT NULL), 0)::bigint AS d30_cohort,
           coalesce(sum(a.retention_d30 * a.new_users), 0) AS d30_retained
    FROM dw.fact_user_activity AS a
    WHERE (merchants IS NULL OR a.merchant_id = ANY (merchants))
      AND a.activity_date BETWEEN first_day AND last_day
    GROUP BY a.merchant_id, a.activity_date
),
sales AS (
    SELECT d.merchant_id, d.sales_date, sum(d.gmv_cny) AS revenue_cny
    FROM mart.mv_daily_sales AS d
    WHERE (merchants IS NULL OR d.merchant_id = ANY (merchants))
      AND d.sales_date BETWEEN first_day AND last_day
    GROUP BY d.merchant_id, d.sales_date
)
SELECT coalesce(a.merchant_id, s.merchant_id) AS merchant_id,
       coalesce(a.activity_date, s.sales_date) AS activity_date,
       coalesce(a.active_users, 0) AS active_users,
       coalesce(a.new_users, 0) AS new_users,
       coalesce(a.returning_users, 0) AS returning_users,
       coalesce(a.paying_users, 0) AS paying_users,
       coalesce(a.sessions, 0) AS sessions,
       coalesce(a.timed_sessions, 0) AS timed_sessions,
       round(coalesce(a.session_seconds, 0), 2) AS session_seconds,
       coalesce(a.page_views, 0) AS page_views,
       coalesce(a.d1_cohort, 0) AS d1_cohort,
       round(coalesce(a.d1_retained, 0), 6) AS d1_retained,
       coalesce(a.d7_cohort, 0) AS d7_cohort,
       round(coalesce(a.d7_retained, 0), 6) AS d7_retained,
       coalesce(a.d30_cohort, 0) AS d30_cohort,
       round(coalesce(a.d30_retained, 0), 6) AS d30_retained,
       round(coalesce(s.revenue_cny, 0), 2) AS revenue_cny
FROM activity AS a
FULL JOIN sales AS s ON s.merchant_id = a.merchant_id AND s.sales_date = a.activity_date;
END;

INSERT INTO mart.mv_user_activity_daily SELECT * FROM mart.mv_user_activity_daily_rows(NULL, '-infinity', 'infinity');

CREATE UNIQUE INDEX mv_user_activity_daily_key ON mart.mv_user_activity_daily (merchant_id, activity_date);
ANALYZE mart.mv_user_activity_daily;

COMMENT ON TABLE mart.mv_user_activity_daily IS 'User activity (summed over shops) and sales revenue per merchant and day; the base of erpdb users: an incremental aggregate that only the refresh functions write. Readers use mart.user_activity_daily.';
COMMENT ON COLUMN mart.mv_user_activity_daily.active_users IS 'Daily active users (DAU), summed over the shops.';
COMMENT ON COLUMN mart.mv_user_activity_daily.timed_sessions IS 'Sessions of the shops that report an average session length (the denominator of the average).';
COMMENT ON COLUMN mart.mv_user_activity_daily.session_seconds IS 'Total session length in seconds: sum of avg_session_seconds x sessions.';
COMMENT ON COLUMN mart.mv_user_activity_daily.d1_cohort IS 'New users of the day in the shops whose 1-day retention is known.';
COMMENT ON COLUMN mart.mv_user_activity_daily.d1_retained IS 'Of them, users active again 1 day later: sum of retention_d1 x new_users.';
COMMENT ON COLUMN mart.mv_user_activity_daily.d7_cohort IS 'New users of the day in the shops whose 7-day retention is known.';
COMMENT ON COLUMN mart.mv_user_activity_daily.d7_retained IS 'Of them, users active again 7 days later: sum of retention_d7 x new_users.';
COMMENT ON COLUMN mart.mv_user_activity_daily.d30_cohort IS 'New users of the day in the shops whose 30-day retention is known.';
COMMENT ON COLUMN mart.mv_user_activity_daily.d30_retained IS 'Of them, users active again 30 days later: sum of retention_d30 x new_users.';
COMMENT ON COLUMN mart.mv_user_activity_daily.revenue_cny IS 'GMV of the day''s valid orders (dw.is_valid_sale), CNY, from mart.mv_daily_sales.';
COMMENT ON FUNCTION mart.mv_user_activity_daily_rows(bigint[], date, date) IS 'The rows of mart.mv_user_activity_daily for the given merchants (NULL: all) and days: what its refresh inserts.';

REVOKE ALL ON mart.mv_user_activity_daily FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.user_activity_daily.
SELECT ops.enable_reader_scope('mart.mv_user_activity_daily');
REVOKE EXECUTE ON FUNCTION mart.mv_user_activity_daily_rows(bigint[], date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_user_activity_daily', 'mart.mv_user_activity_daily_rows(bigint[], date, date)', 'activity_date', 'day',
    '$default_refresh_interval$', '$default_stale_after$', 'User activity and sales revenue per merchant and day.');

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan, so
-- the view is flattened into the query. The filter scopes callers that row level security does
-- not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.user_activity_daily WITH (security_invoker) AS
    SELECT * FROM mart.mv_user_activity_daily WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.user_activity_daily IS 'Reader view of mart.mv_user_activity_daily (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.user_activity_daily TO erp_reader;

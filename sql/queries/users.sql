-- users: user activity per :unit ('day', 'week' or 'month') bucket of [:start, :end], oldest first:
-- every bucket the period touches, under its first day; the buckets at the edges are cut to the period.
-- A bucket without data has its counts, DAU and revenue 0 and its ratios NULL (nothing to divide);
-- its MAU still counts the 30 days ending its last day.
-- Definitions (one place, also shown by erpdb users --help):
--   dau            active users per day: the bucket's daily active users / its days in the period
--   mau            users active in the 30 days ending the bucket's last day, estimated from daily
--                  counts (the facts hold no user ids): the users new in those 30 days plus the
--                  returning users of the first of those days; a lower bound
--   new_users, returning_users: summed over the bucket's days
--   avg_session_seconds: total session length / sessions
--   retention_d1/d7/d30: of the users new on the bucket's days whose day N later is past (before
--                  today), the share active again exactly N days later; null when none is
--   arpu           revenue / daily active users summed over the bucket (per active user per day)
--   arppu          revenue / paying users summed over the bucket (per paying user per day)
--   revenue        GMV of valid orders (dw.is_valid_sale), CNY
--   Shops are summed: a user active in two shops counts twice.
-- reads: mart.user_activity_daily; the buckets from mart.period_buckets
-- parameters: :start, :end (dates), :unit ('day', 'week' or 'month')
-- run: see docs/queries.md
WITH periods AS (
    -- Every bucket from the parameters alone (the figures only from the reader view), with its days in the period.
    SELECT b.bucket, b.first_day, b.last_day
      FROM mart.period_buckets(:unit::text, :start::date, :end::date) AS b
),
buckets AS (
    SELECT date_trunc(:unit::text, activity_date::timestamp)::date AS bucket,
           sum(active_users) AS active_users, sum(new_users) AS new_users, sum(returning_users) AS returning_users,
           sum(paying_users) AS paying_users, sum(sessions) AS sessions, sum(timed_sessions) AS timed_sessions,
           sum(session_seconds) AS session_seconds, sum(revenue_cny) AS revenue,
           sum(d1_retained) FILTER (WHERE activity_date + 1 < CURRENT_DATE) AS d1_retained,
           sum(d1_cohort) FILTER (WHERE activity_date + 1 < CURRENT_DATE) AS d1_cohort,
           sum(d7_retained) FILTER (WHERE activity_date + 7 < CURRENT_DATE) AS d7_retained,
           sum(d7_cohort) FILTER (WHERE activity_date + 7 < CURRENT_DATE) AS d7_cohort,
           sum(d30_retained) FILTER (WHERE activity_date + 30 < CURRENT_DATE) AS d30_retained,
           sum(d30_cohort) FILTER (WHERE activity_date + 30 < CURRENT_DATE) AS d30_cohort
      FROM mart.user_activity_daily
     WHERE activity_date BETWEEN :start::date AND :end::date
     GROUP BY 1
)
SELECT p.bucket, p.first_day AS firstday, p.last_day AS lastday,
       round(coalesce(b.active_users, 0)::numeric / (p.last_day - p.first_day + 1), 2) AS dau,
       (SELECT coalesce(sum(m.new_users), 0) + coalesce(sum(m.returning_users) FILTER (WHERE m.activity_date = p.last_day - 29), 0)
          FROM mart.user_activity_daily AS m
         WHERE m.activity_date BETWEEN p.last_day - 29 AND p.last_day)::bigint AS mau,
       coalesce(b.new_users, 0)::bigint AS newusers, coalesce(b.returning_users, 0)::bigint AS returningusers,
       coalesce(b.paying_users, 0)::bigint AS payingusers,
       round(b.session_seconds / nullif(b.timed_sessions, 0), 2) AS avgsessionseconds,
       mart.rate(b.d1_retained, b.d1_cohort) AS retentiond1,
       mart.rate(b.d7_retained, b.d7_cohort) AS retentiond7,
       mart.rate(b.d30_retained, b.d30_cohort) AS retentiond30,
       round(coalesce(b.revenue, 0), 2) AS revenue,
       round(b.revenue / nullif(b.active_users, 0), 4) AS arpu,
       round(b.revenue / nullif(b.paying_users, 0), 4) AS arppu
  FROM periods AS p
  LEFT JOIN buckets AS b ON b.bucket = p.bucket
 ORDER BY p.bucket;

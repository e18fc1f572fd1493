-- finance_overdue: what the scoped merchant is owed as of today, whatever window finance was asked for:
-- outstanding and overdue over every receivable, as dw.receivable_aging_bucket counts them (as receivables.sql).
-- reads: mart.receivables (sql/migrations/0021_list_reader_views.sql)
-- parameters: none
-- run: see docs/queries.md
SELECT CURRENT_DATE AS asof,
       coalesce(sum(v.outstanding_cny) FILTER (WHERE b.aging_bucket IS NOT NULL), 0) AS outstanding,
       coalesce(sum(v.outstanding_cny) FILTER (WHERE b.aging_bucket IS NOT NULL AND v.due_date < CURRENT_DATE), 0) AS overdue,
       count(*) FILTER (WHERE b.aging_bucket IS NOT NULL AND v.due_date < CURRENT_DATE) AS overduecount
  FROM mart.receivables AS v
 CROSS JOIN LATERAL (SELECT dw.receivable_aging_bucket(v.due_date, v.status, CURRENT_DATE) AS aging_bucket) AS b;

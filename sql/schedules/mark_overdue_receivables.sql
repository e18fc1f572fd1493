-- schedule mark_overdue_receivables: daily, marks receivables past due overdue and raises their
-- alerts (docs/business-flows.md).
-- cron: 17 1 * * *
-- runs in: database
SELECT dw.mark_overdue_receivables()

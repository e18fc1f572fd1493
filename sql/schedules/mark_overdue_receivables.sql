-- schedule mark_overdue_receivables: daily, marks receivables past due overdue and raises their
-- alerts (docs/business-flows.md).
-- cron: 17 1 * * *
-- runs in: database
-- Its lock waits are bounded (ops.scheduled_lock_timeout): behind a long transaction holding what it
-- writes, it fails this time and runs at its next time, rather than waiting, and with pg_cron 1.4
-- holding every other job of the server, for as long as that transaction lasts.
SELECT pg_catalog.set_config('lock_timeout', ops.scheduled_lock_timeout(), false); SELECT dw.mark_overdue_receivables()

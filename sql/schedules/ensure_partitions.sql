-- schedule ensure_partitions: daily, keeps the monthly partitions of the large facts three months
-- ahead and moves rows out of the DEFAULT partitions (docs/partitioning.md).
-- cron: 41 0 * * *
-- runs in: database
-- Its lock waits are bounded (ops.scheduled_lock_timeout): behind a long transaction holding what it
-- writes, it fails this time and runs at its next time, rather than waiting, and with pg_cron 1.4
-- holding every other job of the server, for as long as that transaction lasts.
SELECT pg_catalog.set_config('lock_timeout', ops.scheduled_lock_timeout(), false); SELECT dw.ensure_partitions()

-- schedule refresh_due: every minute, the due refresh of the migrated database (docs/refresh.md).
-- cron: * * * * *
-- runs in: database
-- Overlapping runs never pile up: ops.refresh_due skips when another run holds its advisory lock.
CALL ops.refresh_due('schedule')

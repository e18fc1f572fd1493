-- schedule cancel_overrunning_refreshes: every minute, the refresh watchdog: cancels view
-- refreshes running past their registered statement timeout, which the due refresh's single CALL
-- cannot bound itself; they are logged failed and the due run goes on (docs/refresh.md).
-- cron: * * * * *
-- runs in: database
CALL ops.cancel_overrunning_refreshes()

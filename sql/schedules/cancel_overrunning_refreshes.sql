-- schedule cancel_overrunning_refreshes: every minute, the refresh watchdog: cancels view
-- refreshes running past their registered statement timeout, which the due refresh's single CALL
-- cannot bound itself; they are logged failed and the due run goes on (docs/refresh-watchdog.md).
-- It checks every second for 50 seconds, and longer while a refresh runs: pg_cron 1.4 with
-- background workers starts no job while another still runs, so it must outlast the due refresh.
-- cron: * * * * *
-- runs in: database
CALL ops.cancel_overrunning_refreshes(interval '50 seconds')

-- schedule purge_run_details: daily, deletes pg_cron's run history of this database's jobs older
-- than 7 days (cron.job_run_details grows forever otherwise).
-- cron: 17 3 * * *
-- runs in: cron
-- The body is a format() template: %1$L is the job name prefix erpdb:<database>: (a literal).
-- A job of this database is the prefix and a schedule name without a colon (database erp must not
-- purge the jobs of database erp:x).
DELETE FROM cron.job_run_details
WHERE jobid IN (SELECT j.jobid FROM cron.job AS j
                WHERE starts_with(j.jobname, %1$L) AND strpos(substr(j.jobname, length(%1$L) + 1), ':') = 0)
  AND end_time < now() - interval '7 days'

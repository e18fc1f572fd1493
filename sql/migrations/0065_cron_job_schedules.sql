-- 0065_cron_job_schedules: when erpdb migrate last (re)scheduled each pg_cron job of this database, so that erpdb doctor
-- can tell a job pg_cron never started from one just added (cron.job has no creation time; docs/doctor.md, ERPDB018).
-- requires: 0001_schemas (schema ops)
-- Written by erpdb migrate (CronScheduler) in this database, not in the cron database: a row per job it scheduled, with
-- pg_cron's job id, so a job re-scheduled by hand (a new id) is not judged by an old time; removed when it unschedules.

CREATE TABLE ops.cron_job_schedules (
    job_name      text        NOT NULL,
    job_id        bigint      NOT NULL,
    scheduled_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT cron_job_schedules_pkey PRIMARY KEY (job_name)
);

COMMENT ON TABLE ops.cron_job_schedules IS 'When erpdb migrate (re)scheduled each pg_cron job of this database (erpdb:<database>:<schedule>); read by erpdb doctor (ERPDB018: a job never started).';
COMMENT ON COLUMN ops.cron_job_schedules.job_id IS 'cron.job.jobid in the cron database when scheduled: a job with another id was re-scheduled since, and this time does not apply to it.';
COMMENT ON COLUMN ops.cron_job_schedules.scheduled_at IS 'When migrate scheduled the job, or first saw it already scheduled (an earlier time is unknown then, so this one is safe).';

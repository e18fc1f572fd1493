-- schedule ensure_partitions: daily, keeps the monthly partitions of the large facts three months
-- ahead and moves rows out of the DEFAULT partitions (docs/partitioning.md).
-- cron: 41 0 * * *
-- runs in: database
SELECT dw.ensure_partitions()

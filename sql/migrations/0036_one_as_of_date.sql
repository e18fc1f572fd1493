-- 0036_one_as_of_date: one column for the day an aggregate's date-dependent rows were computed as
-- of. 0034 (per-customer segments) and 0035 (finance and inventory) each added one; the segments'
-- computed_as_of moves into as_of_date, which ops.refresh_customer_segments now reads and writes.
-- requires: 0034_customer_invalidations, 0035_incremental_finance_inventory

UPDATE ops.mv_registry SET as_of_date = computed_as_of WHERE computed_as_of IS NOT NULL;

ALTER TABLE ops.mv_registry DROP COLUMN computed_as_of;

COMMENT ON COLUMN ops.mv_registry.as_of_date IS 'Incremental aggregates whose rows depend on CURRENT_DATE: the day their rows are computed as of. With date_moved_function set (day, week, month or product buckets) the refresh first logs what the move of the date changed; per-customer segments re-evaluate the segment of every row, writing the rows that change. NULL: unknown (the next refresh rebuilds in full).';

-- 0038_c_class_changes: what the C-class results need to recompute only what changed after a due
-- refresh (docs/c-class-recompute.md):
-- - ops.c_class_changes: the (merchant, days) ranges of the facts that the incremental aggregates
--   the results read (mart.mv_daily_sales, mart.mv_product_sales_daily, mart.mv_product_management)
--   took in, copied by a trigger when an aggregate's refresh consumes its invalidation ranges, in
--   that refresh's transaction: a range is here exactly when the aggregate holds the write;
-- - ops.c_class_state: the day the results were last computed in full for every merchant (their
--   windows end on that day).
-- requires: 0027_incremental_aggregates (ops.agg_invalidations), 0020_shop_health_and_rankings
-- The trigger function is defined here first (the trigger needs it); its live definition is
-- sql/functions/ops.note_c_class_changes.sql.

CREATE TABLE ops.c_class_changes (
    change_id    bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id  bigint,
    first_day    date         NOT NULL,
    last_day     date         NOT NULL,
    source_name  text         NOT NULL,
    noted_at     timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT c_class_changes_range_ordered CHECK (first_day <= last_day)
);

COMMENT ON TABLE ops.c_class_changes IS 'Changed (merchant, days) ranges the C-class results have not recomputed yet: the invalidation ranges of mart.mv_daily_sales, mart.mv_product_sales_daily and mart.mv_product_management, copied when their refresh consumed them (trigger agg_invalidations_note_c_class_changes). Consumed by ops.recompute_changed_c_class and by a full ops.recompute_c_class.';
COMMENT ON COLUMN ops.c_class_changes.merchant_id IS 'The merchant whose facts changed; NULL for every merchant (a TRUNCATE).';
COMMENT ON COLUMN ops.c_class_changes.source_name IS 'The aggregate whose refresh took the change in.';

CREATE TABLE ops.c_class_state (
    singleton      boolean      NOT NULL DEFAULT true,
    computed_for   date         NOT NULL,
    computed_at    timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT c_class_state_pkey PRIMARY KEY (singleton),
    CONSTRAINT c_class_state_one_row CHECK (singleton)
);

COMMENT ON TABLE ops.c_class_state IS 'One row: the day (CURRENT_DATE) of the last full C-class recompute of every merchant. The results'' windows end on that day; on another day ops.recompute_changed_c_class recomputes everything.';

REVOKE ALL ON ops.c_class_changes FROM PUBLIC;
REVOKE ALL ON ops.c_class_state FROM PUBLIC;

CREATE OR REPLACE FUNCTION ops.note_c_class_changes()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO ops.c_class_changes (merchant_id, first_day, last_day, source_name)
    SELECT c.merchant_id, c.first_day, c.last_day, c.view_name
    FROM consumed AS c
    WHERE c.view_name IN ('mart.mv_daily_sales', 'mart.mv_product_sales_daily', 'mart.mv_product_management');
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.note_c_class_changes() IS
    'AFTER DELETE statement trigger on ops.agg_invalidations (transition table consumed): copies the ranges a refresh of mart.mv_daily_sales, mart.mv_product_sales_daily or mart.mv_product_management consumed into ops.c_class_changes, for ops.recompute_changed_c_class.';
REVOKE EXECUTE ON FUNCTION ops.note_c_class_changes() FROM PUBLIC;

CREATE TRIGGER agg_invalidations_note_c_class_changes
    AFTER DELETE ON ops.agg_invalidations REFERENCING OLD TABLE AS consumed
    FOR EACH STATEMENT EXECUTE FUNCTION ops.note_c_class_changes();

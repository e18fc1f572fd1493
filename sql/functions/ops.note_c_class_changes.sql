-- ops.note_c_class_changes: statement trigger on ops.agg_invalidations (DELETE): when a refresh of
-- mart.mv_daily_sales, mart.mv_product_sales_daily or mart.mv_product_management consumes its
-- invalidation ranges, copies them to ops.c_class_changes, in that refresh's transaction, for the
-- next ops.recompute_changed_c_class (docs/c-class-recompute.md).
-- requires: ops.agg_invalidations (0027_incremental_aggregates), ops.c_class_changes (0038_c_class_changes)
-- First created by 0038_c_class_changes; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

CREATE OR REPLACE FUNCTION ops.note_c_class_changes()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- The raw ranges (days of the facts, not widened to the aggregate's buckets): the C-class
    -- recompute widens them to its own periods.
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

-- 0042_traffic_activity_invalidation: the invalidation triggers of the incremental aggregates
-- (ops.log_aggregate_changes, 0027_incremental_aggregates) on the two facts that
-- mart.mv_traffic_funnel_daily and mart.mv_user_activity_daily read and no aggregate read before:
-- dw.fact_traffic_funnel (by traffic_date) and dw.fact_user_activity (by activity_date). Both
-- views became incremental aggregates (docs/refresh.md), so a due refresh recomputes the days
-- written instead of the whole history; without these triggers a write to them would reach
-- neither. INSERT logs the new rows' days, DELETE the old ones', UPDATE both, TRUNCATE everything.
-- requires: 0027_incremental_aggregates, 0007_facts_traffic_activity

DO $$
DECLARE
    target record;
BEGIN
    FOR target IN
        SELECT * FROM (VALUES ('dw.fact_traffic_funnel', 'fact_traffic_funnel', 'traffic_date'),
                              ('dw.fact_user_activity', 'fact_user_activity', 'activity_date')) AS t (relation, table_name, day_column)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_aggregate_changes(%L)',
                       target.table_name || '_log_aggregates_insert', target.relation, target.day_column);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_aggregate_changes(%L)',
                       target.table_name || '_log_aggregates_update', target.relation, target.day_column);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_aggregate_changes(%L)',
                       target.table_name || '_log_aggregates_delete', target.relation, target.day_column);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_aggregate_changes(%L)',
                       target.table_name || '_log_aggregates_truncate', target.relation, target.day_column);
    END LOOP;
END
$$;

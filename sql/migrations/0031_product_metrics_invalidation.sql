-- 0031_product_metrics_invalidation: the invalidation triggers of the incremental aggregates
-- (ops.log_aggregate_changes, 0027_incremental_aggregates) on the two tables that
-- mart.mv_product_management reads and no aggregate read before: dw.fact_product_metrics (by
-- metric_date) and dw.dim_categories (a dimension). mart.mv_product_management became an
-- incremental aggregate so that readers are scoped by row level security inside the plan
-- (docs/merchant-isolation.md); without these triggers a change to a listing's metrics or to a
-- category would never reach it.
-- requires: 0027_incremental_aggregates, 0005_facts_sales, 0004_dimensions

DO $$
DECLARE
    target record;
BEGIN
    FOR target IN
        SELECT * FROM (VALUES ('dw.fact_product_metrics', 'fact_product_metrics', 'metric_date'),
                              ('dw.dim_categories', 'dim_categories', '')) AS t (relation, table_name, day_column)
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

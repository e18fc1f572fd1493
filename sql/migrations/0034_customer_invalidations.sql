-- 0034_customer_invalidations: what lets mart.mv_customer_segments (and mart.mv_customer_cohorts,
-- built on it) follow order changes per customer instead of being rebuilt whole
-- (docs/refresh.md, "Per-customer aggregates"):
-- - ops.mv_registry: bucket width 'customer' (the rows of an invalidated customer are recomputed)
--   and computed_as_of (the day date-dependent columns were last evaluated for);
-- - ops.customer_invalidations, the per-customer invalidation log, written by statement triggers
--   (ops.log_customer_changes) on dw.fact_sales_orders, dw.dim_customers and dw.dim_user_levels.
-- requires: 0027_incremental_aggregates, 0005_facts_sales, 0004_dimensions
-- The trigger function is defined here first (the triggers need it); its live definition is
-- sql/functions/ops.log_customer_changes.sql.

ALTER TABLE ops.mv_registry
    DROP CONSTRAINT mv_registry_bucket_width_known,
    ADD CONSTRAINT mv_registry_bucket_width_known CHECK (bucket_width IN ('day', 'week', 'month', 'merchant', 'customer')),
    ADD COLUMN computed_as_of date;

COMMENT ON COLUMN ops.mv_registry.bucket_width IS 'Incremental aggregates: day, week or month (invalidated days are widened to whole buckets), merchant (every row of an invalidated merchant is recomputed; a full rebuild when the rows were computed on another day), or customer (the rows of the customers named in ops.customer_invalidations are recomputed).';
COMMENT ON COLUMN ops.mv_registry.computed_as_of IS 'Per-customer aggregates: the day their date-dependent columns (a segment) were evaluated for; a refresh on a later day re-evaluates them, writing only the rows that change.';

------------------------------------------------------------------------------------------------
-- ops.customer_invalidations: the per-customer invalidation log
------------------------------------------------------------------------------------------------
-- Like ops.agg_invalidations, an entry belongs to the transaction that wrote it: a refresh
-- consumes only the entries of transactions its snapshot saw, so a write in flight keeps its own.
CREATE TABLE ops.customer_invalidations (
    invalidation_id  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    view_name        text        NOT NULL,
    xid              xid8        NOT NULL DEFAULT pg_current_xact_id(),
    merchant_id      bigint,
    customer_id      bigint,
    source_name      text        NOT NULL,
    invalidated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customer_invalidations_everything_or_one CHECK ((merchant_id IS NULL) = (customer_id IS NULL))
);

CREATE INDEX customer_invalidations_view_idx ON ops.customer_invalidations (view_name, xid);

COMMENT ON TABLE ops.customer_invalidations IS 'Invalidation log of the per-customer aggregates (bucket width customer): (aggregate, writing transaction, merchant, customer) whose rows must be recomputed. Written by the statement triggers ops.log_customer_changes on dw.fact_sales_orders, dw.dim_customers and dw.dim_user_levels; consumed by ops.refresh_view.';
COMMENT ON COLUMN ops.customer_invalidations.customer_id IS 'The customer whose rows changed; NULL (with merchant_id NULL) for every customer: a TRUNCATE, a change of dw.dim_user_levels.';
COMMENT ON COLUMN ops.customer_invalidations.xid IS 'The writing transaction; a refresh consumes the entries whose transaction its snapshot saw (pg_visible_in_snapshot).';

REVOKE ALL ON ops.customer_invalidations FROM PUBLIC;

CREATE OR REPLACE FUNCTION ops.log_customer_changes()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION ops.log_customer_changes() FROM PUBLIC;

DO $$
DECLARE
    target record;
BEGIN
    FOR target IN
        SELECT * FROM (VALUES ('dw.fact_sales_orders', 'fact_sales_orders', true, true),
                              ('dw.dim_customers', 'dim_customers', false, false),
                              ('dw.dim_user_levels', 'dim_user_levels', true, true)) AS t (relation, table_name, on_insert, on_truncate)
    LOOP
        IF target.on_insert THEN
            EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                           'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_customer_changes()',
                           target.table_name || '_log_customers_insert', target.relation);
        END IF;
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_customer_changes()',
                       target.table_name || '_log_customers_update', target.relation);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_customer_changes()',
                       target.table_name || '_log_customers_delete', target.relation);
        IF target.on_truncate THEN
            EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s '
                           'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_customer_changes()',
                           target.table_name || '_log_customers_truncate', target.relation);
        END IF;
    END LOOP;
END
$$;

-- 0035_incremental_finance_inventory: what lets mart.mv_financial_daily (with
-- mart.mv_financial_overview) and mart.mv_inventory_summary follow changes instead of being
-- rebuilt whole (docs/refresh.md, "Incremental aggregates"):
-- - ops.mv_registry.as_of_date and date_moved_function: an aggregate whose rows depend on the
--   day they are computed (overdue = due before today; sales of the last 30 days) remembers that
--   day; when the date moved, its refresh first calls the function, which logs what the move
--   changed (receivables that fell due, products with sales on the days that left or entered the
--   window);
-- - bucket width 'product' and ops.agg_product_invalidations, the invalidation log of aggregates
--   kept per (merchant, product), written by the statement triggers ops.log_product_changes;
-- - the day-range invalidation triggers (ops.log_aggregate_changes) on the two finance facts no
--   aggregate read before: dw.fact_accounts_receivable (by invoice_date) and
--   dw.fact_payment_receipts (by receipt_date).
-- requires: 0027_incremental_aggregates, 0031_product_metrics_invalidation, 0006_facts_inventory_finance,
--           0005_facts_sales, 0004_dimensions
-- The trigger function is defined here first (the triggers need it); its live definition is
-- sql/functions/ops.log_product_changes.sql.

ALTER TABLE ops.mv_registry
    ADD COLUMN as_of_date date,
    ADD COLUMN date_moved_function text;

COMMENT ON COLUMN ops.mv_registry.as_of_date IS 'Incremental aggregates whose rows depend on CURRENT_DATE (date_moved_function set): the day their rows are computed as of. NULL: unknown (the next refresh rebuilds in full).';
COMMENT ON COLUMN ops.mv_registry.date_moved_function IS 'Incremental aggregates whose rows depend on CURRENT_DATE: a function (from_day date, to_day date) that logs the buckets the move of the date from as_of_date to today changed; the refresh calls it before it reads the log, then sets as_of_date to today.';

-- Allow bucket width 'product', keeping whatever other widths the constraint allows by now.
DO $$
DECLARE
    widths text[];
BEGIN
    SELECT pg_catalog.array_agg(m[1]) INTO widths
    FROM pg_catalog.pg_constraint AS c
    CROSS JOIN LATERAL pg_catalog.regexp_matches(pg_catalog.pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') AS m
    WHERE c.conrelid = 'ops.mv_registry'::regclass AND c.conname = 'mv_registry_bucket_width_known';
    IF NOT 'product' = ANY (coalesce(widths, '{}')) THEN
        ALTER TABLE ops.mv_registry DROP CONSTRAINT IF EXISTS mv_registry_bucket_width_known;
        EXECUTE format('ALTER TABLE ops.mv_registry ADD CONSTRAINT mv_registry_bucket_width_known CHECK (bucket_width = ANY (%L::text[]))',
                       coalesce(widths, '{}') || ARRAY['product']);
    END IF;
END
$$;

COMMENT ON COLUMN ops.mv_registry.bucket_width IS 'Incremental aggregates: day, week or month (invalidated days are widened to whole buckets), merchant (every row of an invalidated merchant is recomputed; a full rebuild when the rows were computed on another day), or product (the rows of the invalidated products, logged in ops.agg_product_invalidations).';

------------------------------------------------------------------------------------------------
-- ops.agg_product_invalidations: the invalidation log of the per-product aggregates
------------------------------------------------------------------------------------------------
-- Like ops.agg_invalidations, an entry belongs to the transaction that wrote it: a refresh consumes
-- only the entries of transactions its snapshot saw, so a write in flight keeps its entry.
CREATE TABLE ops.agg_product_invalidations (
    invalidation_id  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    view_name        text        NOT NULL,
    xid              xid8        NOT NULL DEFAULT pg_current_xact_id(),
    merchant_id      bigint,
    product_id       bigint,
    source_name      text        NOT NULL,
    invalidated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT agg_product_invalidations_product_and_merchant CHECK ((product_id IS NULL) = (merchant_id IS NULL))
);

CREATE INDEX agg_product_invalidations_view_idx ON ops.agg_product_invalidations (view_name, xid);

COMMENT ON TABLE ops.agg_product_invalidations IS 'Invalidation log of the incremental aggregates kept per (merchant, product) (bucket width product, e.g. mart.mv_inventory_summary): the products whose rows must be recomputed. Written by the statement triggers ops.log_product_changes and by the aggregate''s date_moved_function; consumed by ops.refresh_product_aggregate.';
COMMENT ON COLUMN ops.agg_product_invalidations.merchant_id IS 'The product''s merchant; NULL (with product_id NULL) for every product of every merchant (a TRUNCATE).';
COMMENT ON COLUMN ops.agg_product_invalidations.product_id IS 'The product; NULL (with merchant_id NULL) for every product.';
COMMENT ON COLUMN ops.agg_product_invalidations.xid IS 'The writing transaction; a refresh consumes the entries whose transaction its snapshot saw (pg_visible_in_snapshot).';

REVOKE ALL ON ops.agg_product_invalidations FROM PUBLIC;

CREATE OR REPLACE FUNCTION ops.log_product_changes()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- Replaced by sql/functions/ops.log_product_changes.sql, which migrate runs right after.
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION ops.log_product_changes() FROM PUBLIC;

-- The per-product triggers: TG_ARGV[0] says how a changed row names products (product: it has
-- product_id; order: through its order lines; category: through the products in it), TG_ARGV[1]
-- the day column that bounds what can still be inside a rolling window ('' for none).
DO $$
DECLARE
    target record;
BEGIN
    FOR target IN
        SELECT * FROM (VALUES ('dw.fact_inventory', 'fact_inventory', 'product', ''),
                              ('dw.dim_products', 'dim_products', 'product', ''),
                              ('dw.dim_categories', 'dim_categories', 'category', ''),
                              ('dw.fact_order_items', 'fact_order_items', 'product', 'order_date'),
                              ('dw.fact_sales_orders', 'fact_sales_orders', 'order', 'order_date')) AS t (relation, table_name, kind, day_column)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_product_changes(%L, %L)',
                       target.table_name || '_log_products_insert', target.relation, target.kind, target.day_column);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_product_changes(%L, %L)',
                       target.table_name || '_log_products_update', target.relation, target.kind, target.day_column);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_product_changes(%L, %L)',
                       target.table_name || '_log_products_delete', target.relation, target.kind, target.day_column);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ops.log_product_changes(%L, %L)',
                       target.table_name || '_log_products_truncate', target.relation, target.kind, target.day_column);
    END LOOP;

    -- The finance facts, by day, for the day-grain aggregates (ops.log_aggregate_changes, 0027).
    FOR target IN
        SELECT * FROM (VALUES ('dw.fact_accounts_receivable', 'fact_accounts_receivable', 'invoice_date'),
                              ('dw.fact_payment_receipts', 'fact_payment_receipts', 'receipt_date')) AS t (relation, table_name, day_column)
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

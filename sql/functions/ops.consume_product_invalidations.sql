-- ops.consume_product_invalidations: removes the entries of ops.agg_product_invalidations a refresh
-- of a product aggregate has covered: those of the transactions its snapshot saw, and its own,
-- except entries of order lines dated as_of or later (sales_day, 0041_product_sales_days): no
-- window (which ends the day before as_of) holds them yet, so they wait for the refresh of the day
-- after theirs. The one rule for ops.refresh_product_aggregate and ops.refresh_inventory_summary.
-- requires: ops.agg_product_invalidations (0035_incremental_finance_inventory, 0041_product_sales_days)

CREATE OR REPLACE FUNCTION ops.consume_product_invalidations(view_name text, covered pg_catalog.pg_snapshot, as_of date)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    DELETE FROM ops.agg_product_invalidations AS i
    WHERE i.view_name = consume_product_invalidations.view_name
      AND (pg_catalog.pg_visible_in_snapshot(i.xid, covered) OR i.xid = pg_catalog.pg_current_xact_id_if_assigned())
      AND (i.sales_day IS NULL OR i.sales_day < as_of OR i.merchant_id IS NULL);
$$;

COMMENT ON FUNCTION ops.consume_product_invalidations(text, pg_catalog.pg_snapshot, date) IS
    'Deletes the ops.agg_product_invalidations entries of view_name that the refresh snapshot covered (and the caller''s own), keeping entries of lines dated as_of or later. Called by the product aggregates'' refresh functions.';
REVOKE EXECUTE ON FUNCTION ops.consume_product_invalidations(text, pg_catalog.pg_snapshot, date) FROM PUBLIC;

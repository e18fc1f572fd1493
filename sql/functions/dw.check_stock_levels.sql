-- dw.check_stock_levels: the low-stock check (every 6 hours): raises a low_stock or out_of_stock
-- alert per product and warehouse whose dw.stock_status says so, and resolves the open ones
-- whose position no longer does.
-- requires: dw.alerts (0017_business_flows), dw.fact_inventory, dw.dim_products, dw.stock_status
-- Subject: <sku>@<warehouse_code>. One open alert per kind and subject: raising it again
-- refreshes its details. A position going from low to out resolves low_stock and raises out_of_stock.

CREATE OR REPLACE FUNCTION dw.check_stock_levels(merchant bigint DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    raised integer;
BEGIN
    UPDATE dw.alerts AS a
    SET resolved_at = greatest(now(), a.raised_at)
    WHERE a.kind IN ('low_stock', 'out_of_stock') AND a.resolved_at IS NULL
      AND (merchant IS NULL OR a.merchant_id = merchant)
      -- NOT IN, hashed whatever the estimates (see dw.check_stock_shortages); no column can be NULL.
      AND (a.kind, a.merchant_id, a.subject) NOT IN (
          SELECT dw.stock_status(f.quantity_available, f.safety_stock), f.merchant_id, p.sku || '@' || f.warehouse_code
          FROM dw.fact_inventory AS f
          JOIN dw.dim_products AS p ON p.merchant_id = f.merchant_id AND p.product_id = f.product_id
          WHERE (merchant IS NULL OR f.merchant_id = merchant));

    INSERT INTO dw.alerts AS a (kind, merchant_id, subject, details)
    SELECT dw.stock_status(f.quantity_available, f.safety_stock), f.merchant_id, p.sku || '@' || f.warehouse_code,
           jsonb_build_object('sku', p.sku, 'product_id', f.product_id, 'warehouse', f.warehouse_code,
                              'quantity_available', f.quantity_available, 'safety_stock', f.safety_stock)
    FROM dw.fact_inventory AS f
    JOIN dw.dim_products AS p ON p.merchant_id = f.merchant_id AND p.product_id = f.product_id
    WHERE dw.stock_status(f.quantity_available, f.safety_stock) <> 'normal'
      -- The same rows (safety stock is never negative), written as the predicate of the partial index
      -- fact_inventory_low_stock_idx so the planner can read just those few positions: it cannot match
      -- the status function's CASE to it.
      AND f.quantity_available <= f.safety_stock
      AND (merchant IS NULL OR f.merchant_id = merchant)
    ON CONFLICT (kind, merchant_id, subject) WHERE resolved_at IS NULL DO UPDATE
        SET details = EXCLUDED.details
        WHERE a.details IS DISTINCT FROM EXCLUDED.details;
    GET DIAGNOSTICS raised = ROW_COUNT;
    RETURN raised;
END
$$;

COMMENT ON FUNCTION dw.check_stock_levels(bigint) IS
    'The low-stock check: raises (or refreshes) a low_stock / out_of_stock alert per product and warehouse (dw.stock_status), resolves those whose condition ended; one merchant or all. Returns the alerts raised or refreshed.';
REVOKE EXECUTE ON FUNCTION dw.check_stock_levels(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.check_stock_levels(bigint) TO erp_writer;

-- dw.follow_product_safety_stock: statement trigger on dw.dim_products (AFTER UPDATE, transition
-- tables old_products and new_products) that moves the safety stock of the product's positions
-- with the product's (0048_positions_follow_product_safety_stock).
-- requires: dw.dim_products, dw.fact_inventory
-- A position takes its product's safety stock when it is opened (dw.apply_inventory_movements, or an
-- inventory file without the column). A position still holding the product's old value follows the
-- new one; a position holding another value was given its own for that warehouse and keeps it.
-- (A position given its own value equal to the product's cannot be told apart and follows too.)
-- Alerts follow at the next low-stock check (dw.check_stock_levels); the inventory summary follows
-- at its next refresh, since the positions' write marks it dirty.

CREATE OR REPLACE FUNCTION dw.follow_product_safety_stock()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- EXECUTE, not a static query: a plan made for the session's first transition table is not kept.
    EXECUTE $q$
        UPDATE dw.fact_inventory AS f
        SET safety_stock = n.safety_stock
        FROM old_products AS o
        JOIN new_products AS n ON n.merchant_id = o.merchant_id AND n.product_id = o.product_id
        WHERE n.safety_stock <> o.safety_stock
          AND f.merchant_id = n.merchant_id AND f.product_id = n.product_id AND f.safety_stock = o.safety_stock
        $q$;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION dw.follow_product_safety_stock() IS
    'AFTER UPDATE ... FOR EACH STATEMENT trigger on dw.dim_products: the positions whose safety stock is the product''s old one take its new one; positions given their own keep it.';
REVOKE EXECUTE ON FUNCTION dw.follow_product_safety_stock() FROM PUBLIC;

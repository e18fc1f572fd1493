-- 0086_merchant_shipping_warehouse: the warehouse a merchant's orders ship from, 'default' unless set.
-- Orders moved stock in the warehouse 'default' whatever the merchant kept elsewhere: a merchant that bought
-- into 'main' sold from an empty 'default' (shortages there, and 'main' never went down). dw.post_order_stock
-- now books an order's movements in its merchant's shipping warehouse, dw.product_unit_cost reads the average
-- cost there, and purchases, counts and inventory rows that name no warehouse go there. Set by the merchants
-- import (shipping_warehouse_code) before the merchant's first order moves stock: ingest refuses to change it
-- afterwards, since what an order takes back (a release, a return) must go where it was taken from.
-- requires: 0004_dimensions (dw.dim_merchants)

ALTER TABLE dw.dim_merchants
    ADD COLUMN shipping_warehouse_code text NOT NULL DEFAULT 'default'
        CONSTRAINT dim_merchants_shipping_warehouse_code_check
        CHECK (shipping_warehouse_code ~ '\S' AND shipping_warehouse_code = lower(shipping_warehouse_code));

COMMENT ON COLUMN dw.dim_merchants.shipping_warehouse_code IS 'The warehouse (dw.fact_inventory.warehouse_code) the merchant''s orders ship from and take returns back into, and where purchases, counts and inventory rows without a warehouse_code go; ''default'' unless set. Fixed once the merchant''s orders have moved stock.';

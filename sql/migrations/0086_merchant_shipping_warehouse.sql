-- 0086_merchant_shipping_warehouse: the warehouse a merchant's orders ship from, 'default' unless set.
-- Orders moved stock in the warehouse 'default' whatever the merchant kept elsewhere: a merchant that bought
-- into 'main' sold from an empty 'default' (shortages there, and 'main' never went down). dw.post_order_stock
-- now books an order's movements in its merchant's shipping warehouse, dw.product_unit_cost reads the average
-- cost there, and purchases, counts and inventory rows that name no warehouse go there. Set by the merchants
-- import (shipping_warehouse_code). A change moves no stock: an order line already posted releases and takes
-- back where it first moved (dw.post_order_stock), only lines posted afterwards go to the new warehouse.
-- requires: 0004_dimensions (dw.dim_merchants)

ALTER TABLE dw.dim_merchants
    ADD COLUMN shipping_warehouse_code text NOT NULL DEFAULT 'default'
        CONSTRAINT dim_merchants_shipping_warehouse_code_check
        CHECK (shipping_warehouse_code ~ '\S' AND shipping_warehouse_code = lower(shipping_warehouse_code));

COMMENT ON COLUMN dw.dim_merchants.shipping_warehouse_code IS 'The warehouse (dw.fact_inventory.warehouse_code) the merchant''s order lines move stock in when first posted, and where purchases, counts and inventory rows without a warehouse_code go; ''default'' unless set. An order line already posted keeps moving its stock where it first did.';

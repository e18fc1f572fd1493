-- 0050_movements_keep_where_they_were_posted: a stock movement keeps the product, warehouse and unit
-- cost it was applied to the positions with, beside quantity_posted, so that a purchase re-imported
-- with another SKU, warehouse or unit cost can be taken back where it was posted and posted where it
-- now is (docs/business-flows.md, "Purchases corrected by a re-import").
-- requires: 0006_facts_inventory_finance, 0017_business_flows (quantity_posted and its index)
-- NULL in the three columns = applied where the row stands: movements that posting writes already
-- applied (orders) never move, so they are left NULL. Purchases applied before this migration are
-- taken to be posted where they stand now; one re-imported with another SKU or warehouse before it
-- cannot be told apart (its old position kept the units): correct such positions with a stock count.

ALTER TABLE dw.fact_inventory_transactions
    ADD COLUMN posted_product_id bigint,
    ADD COLUMN posted_warehouse_code text,
    ADD COLUMN posted_unit_cost numeric(18, 4);

COMMENT ON COLUMN dw.fact_inventory_transactions.posted_product_id IS 'Product whose position holds the quantity_posted units (dw.apply_inventory_movements writes it with quantity_posted); NULL = product_id. When it differs from product_id, the units are taken back there and posted to product_id.';
COMMENT ON COLUMN dw.fact_inventory_transactions.posted_warehouse_code IS 'Warehouse whose position holds the quantity_posted units; NULL = warehouse_code. When it differs, the units move as for posted_product_id.';
COMMENT ON COLUMN dw.fact_inventory_transactions.posted_unit_cost IS 'Unit cost (CNY) the quantity_posted units of a purchase entered the weighted-average cost with; NULL = unit_cost. When it differs, the position''s average is corrected (docs/business-flows.md).';

-- Recording where a purchase was posted changes nothing about it: its audit stamp stays, and the
-- reference checks (which guard product and order keys this leaves alone, and are placeholders that
-- refuse every write until the function files are applied after the migrations) do not run.
ALTER TABLE dw.fact_inventory_transactions
    DISABLE TRIGGER fact_inventory_transactions_set_updated_at,
    DISABLE TRIGGER fact_inventory_transactions_order_check_update,
    DISABLE TRIGGER fact_inventory_transactions_product_check_update;
UPDATE dw.fact_inventory_transactions
SET posted_product_id = product_id, posted_warehouse_code = warehouse_code, posted_unit_cost = unit_cost
WHERE transaction_type = 'purchase_in' AND quantity_posted IS NOT NULL;
ALTER TABLE dw.fact_inventory_transactions
    ENABLE TRIGGER fact_inventory_transactions_set_updated_at,
    ENABLE TRIGGER fact_inventory_transactions_order_check_update,
    ENABLE TRIGGER fact_inventory_transactions_product_check_update;

-- Pending = anything of the movement not yet applied: units, place or cost. dw.apply_inventory_movements
-- finds them with this predicate, word for word, so the planner uses the index (it holds only them).
DROP INDEX dw.fact_inventory_transactions_unposted_idx;
CREATE INDEX fact_inventory_transactions_unposted_idx ON dw.fact_inventory_transactions (merchant_id)
    WHERE quantity_posted <> quantity_change OR posted_product_id <> product_id
       OR posted_warehouse_code <> warehouse_code OR posted_unit_cost <> unit_cost;

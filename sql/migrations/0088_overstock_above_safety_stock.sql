-- 0088_overstock_above_safety_stock: dw.stock_status_class takes the units sold in the last 30 days instead
-- of the days of cover, because overstock is now measured on the stock above the safety stock (the rule in
-- sql/functions/dw.stock_status_class.sql). A function's arguments cannot change in place: the old one is
-- dropped here, and the function script, which runs after the migrations, creates the new one. Nothing
-- stored depends on it (only the inventory query calls it).
-- requires: nothing

DROP FUNCTION IF EXISTS dw.stock_status_class(bigint, bigint, numeric, integer);

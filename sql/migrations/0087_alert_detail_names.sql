-- 0087_alert_detail_names: an alert's details name a figure as every other command names it.
-- The stock alerts said warehouse_code where movements and inventory say warehouse, and the overdue
-- alerts currency_code and outstanding_amount where receivables say currency and outstanding (the JSON
-- writes the keys in camelCase: warehouseCode against warehouse). dw.check_stock_levels,
-- dw.check_stock_shortages and dw.mark_overdue_receivables write the new names from now on; this renames
-- them in the alerts already raised, open or resolved, so one key serves every alert. The rows' updated_at
-- moves (ops.set_updated_at): they were rewritten.
-- requires: 0017_business_flows (dw.alerts)

UPDATE dw.alerts
SET details = details - 'warehouse_code' || jsonb_build_object('warehouse', details -> 'warehouse_code')
WHERE details ? 'warehouse_code';

UPDATE dw.alerts
SET details = details - 'currency_code' || jsonb_build_object('currency', details -> 'currency_code')
WHERE details ? 'currency_code';

UPDATE dw.alerts
SET details = details - 'outstanding_amount' || jsonb_build_object('outstanding', details -> 'outstanding_amount')
WHERE details ? 'outstanding_amount';

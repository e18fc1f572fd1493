-- schedule check_stock_levels: every 6 hours, raises and resolves low_stock / out_of_stock
-- alerts (docs/business-flows.md).
-- cron: 23 */6 * * *
-- runs in: database
SELECT dw.check_stock_levels()

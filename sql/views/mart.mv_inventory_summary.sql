-- mart.mv_inventory_summary: stock position per merchant and product (all warehouses), with
-- value, 30-day sales, days of cover, turnover, stock status and a suggested reorder quantity.
-- requires: dw.fact_inventory, dw.dim_products, dw.dim_categories, dw.fact_order_items, dw.fact_sales_orders, dw.is_valid_sale,
--           dw.stock_status
-- Definitions (all over the last 30 days, today excluded, valid orders only):
--   avg_daily_units      = units sold / 30
--   days_of_cover        = available / avg_daily_units (NULL without sales)
--   turnover_30d         = cost of units sold / inventory value at average cost (NULL without stock)
--   stock_status         = dw.stock_status(available, safety stock): out_of_stock, low_stock, normal
--   suggested_reorder_qty = max(0, safety_stock + units sold in the 30 days - available - incoming):
--                          enough for 30 more days at the last 30 days' rate above the safety stock.
--                          A product already at or below its safety stock (low or out) that sold in
--                          those 30 days leaves incoming out: the stock in transit did not keep it
--                          above its safety stock, so the suggestion is safety_stock + units sold -
--                          available, never 0 while it still sells.
-- It depends on CURRENT_DATE, so it changes daily even without writes: the interval refresh keeps it current.

DROP MATERIALIZED VIEW IF EXISTS mart.mv_inventory_summary CASCADE;

CREATE MATERIALIZED VIEW mart.mv_inventory_summary AS
WITH stock AS (
    SELECT i.merchant_id, i.product_id,
           count(*) AS warehouse_count,
           sum(i.quantity_on_hand)::bigint AS quantity_on_hand,
           sum(i.quantity_reserved)::bigint AS quantity_reserved,
           sum(i.quantity_available)::bigint AS quantity_available,
           sum(i.quantity_incoming)::bigint AS quantity_incoming,
           sum(i.safety_stock)::bigint AS safety_stock,
           sum(round(i.quantity_on_hand * i.average_unit_cost, 2)) AS inventory_value_cny
    FROM dw.fact_inventory AS i
    GROUP BY i.merchant_id, i.product_id
),
sold AS (
    SELECT it.merchant_id, it.product_id,
           sum(it.quantity)::bigint AS units_sold_30d,
           sum(it.cost_amount) AS cost_sold_30d
    FROM dw.fact_order_items AS it
    JOIN dw.fact_sales_orders AS o
        ON o.merchant_id = it.merchant_id AND o.order_id = it.order_id AND o.order_date = it.order_date
    WHERE it.order_date >= CURRENT_DATE - 30 AND it.order_date < CURRENT_DATE
      AND dw.is_valid_sale(o.status)
    GROUP BY it.merchant_id, it.product_id
)
SELECT s.merchant_id,
       s.product_id,
       p.sku,
       p.product_name,
       p.category_id,
       c.category_name,
       p.brand,
       s.warehouse_count,
       s.quantity_on_hand,
       s.quantity_reserved,
       s.quantity_available,
       s.quantity_incoming,
       s.safety_stock,
       round(s.inventory_value_cny, 2) AS inventory_value_cny,
       coalesce(d.units_sold_30d, 0) AS units_sold_30d,
       round(coalesce(d.units_sold_30d, 0) / 30.0, 4) AS avg_daily_units,
       round(s.quantity_available / nullif(coalesce(d.units_sold_30d, 0) / 30.0, 0), 1) AS days_of_cover,
       round(coalesce(d.cost_sold_30d, 0) / nullif(s.inventory_value_cny, 0), 4) AS turnover_30d,
       dw.stock_status(s.quantity_available, s.safety_stock) AS stock_status,
       GREATEST(0, ceil(s.safety_stock + coalesce(d.units_sold_30d, 0) - s.quantity_available
                        - CASE WHEN dw.stock_status(s.quantity_available, s.safety_stock) <> 'normal' AND coalesce(d.units_sold_30d, 0) > 0
                               THEN 0 ELSE s.quantity_incoming END))::bigint
           AS suggested_reorder_qty
FROM stock AS s
JOIN dw.dim_products AS p ON p.merchant_id = s.merchant_id AND p.product_id = s.product_id
LEFT JOIN dw.dim_categories AS c ON c.merchant_id = p.merchant_id AND c.category_id = p.category_id
LEFT JOIN sold AS d ON d.merchant_id = s.merchant_id AND d.product_id = s.product_id
WITH DATA;

CREATE UNIQUE INDEX mv_inventory_summary_key ON mart.mv_inventory_summary (merchant_id, product_id);
CREATE INDEX mv_inventory_summary_status_idx ON mart.mv_inventory_summary (merchant_id, stock_status);
CREATE INDEX mv_inventory_summary_category_idx ON mart.mv_inventory_summary (merchant_id, category_id);
CREATE INDEX mv_inventory_summary_reorder_idx ON mart.mv_inventory_summary (merchant_id, suggested_reorder_qty DESC);

COMMENT ON MATERIALIZED VIEW mart.mv_inventory_summary IS 'Stock per merchant and product over all warehouses with value, 30-day sales, days of cover, turnover, stock status and suggested reorder quantity (definitions in sql/views/mart.mv_inventory_summary.sql). Readers use mart.inventory_summary.';
COMMENT ON COLUMN mart.mv_inventory_summary.inventory_value_cny IS 'On hand x weighted average unit cost, in CNY.';
COMMENT ON COLUMN mart.mv_inventory_summary.units_sold_30d IS 'Units of valid orders over the 30 days before today.';
COMMENT ON COLUMN mart.mv_inventory_summary.days_of_cover IS 'quantity_available / avg_daily_units; NULL without sales.';
COMMENT ON COLUMN mart.mv_inventory_summary.turnover_30d IS 'Cost of the units sold in 30 days / inventory value; NULL without stock value.';
COMMENT ON COLUMN mart.mv_inventory_summary.stock_status IS 'out_of_stock (nothing available), low_stock (available <= safety stock) or normal.';
COMMENT ON COLUMN mart.mv_inventory_summary.suggested_reorder_qty IS 'max(0, safety_stock + units_sold_30d - available - incoming): 30 more days of sales at the last 30 days'' rate above the safety stock; for a low or out-of-stock product that sold in those days incoming is left out (it did not keep the product above its safety stock), so the suggestion is never 0 while it sells.';

REVOKE ALL ON mart.mv_inventory_summary FROM PUBLIC;

SELECT ops.register_view('mart.mv_inventory_summary', '$default_refresh_interval$', '$default_stale_after$', true,
    'Stock, turnover and reorder suggestion per merchant and product.');

CREATE OR REPLACE VIEW mart.inventory_summary WITH (security_barrier) AS
    SELECT * FROM mart.mv_inventory_summary WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.inventory_summary IS 'Reader view of mart.mv_inventory_summary: the transaction''s merchant only.';
GRANT SELECT ON mart.inventory_summary TO erp_reader;

-- mart.mv_inventory_summary: stock position per merchant and product (all warehouses), with
-- value, 30-day sales, days of cover, turnover, stock status and a suggested reorder quantity.
-- requires: dw.fact_inventory, dw.dim_products, dw.dim_categories, mart.mv_product_sales_daily, dw.stock_status,
--           dw.suggested_reorder_qty
-- Definitions (all over the last 30 days, today excluded, valid orders only):
--   avg_daily_units      = units sold / 30
--   days_of_cover        = available / avg_daily_units (NULL without sales)
--   turnover_30d         = cost of units sold / inventory value at average cost (NULL without stock)
--   stock_status         = dw.stock_status(available, safety stock): out_of_stock, low_stock, normal
--   suggested_reorder_qty = dw.suggested_reorder_qty: max(0, safety_stock + units sold in the 30
--                          days - available - incoming), incoming left out for a product at or
--                          below its safety stock that still sells (the rule in its file).
-- An incremental aggregate kept per product (docs/refresh.md): a table that only the refresh
-- functions write, filled by mart.mv_inventory_summary_rows; statement triggers
-- (ops.log_product_changes) log the products whose stock, product or category row changed, and the
-- refresh of mart.mv_product_sales_daily, which the 30-day sales are summed from (its units and
-- cost per product and day are those of the valid order lines), logs the rows it rewrote, signed
-- (ops.product_sales_deltas, 0043); a due refresh (ops.refresh_inventory_summary) recomputes the
-- logged products and adds the deltas to the 30-day sums (units_sold_30d, cost_sold_30d) of the others.
-- The window ends yesterday: the table remembers the day it is computed as of
-- (ops.mv_registry.as_of_date), and when the date moved, mart.mv_inventory_summary_date_moved logs
-- the products with sales on the days that left the window and on those that entered it, so the
-- table always equals a fresh computation.

SELECT ops.drop_mart_relation('mart.mv_inventory_summary');

CREATE TABLE mart.mv_inventory_summary (
    merchant_id            bigint  NOT NULL,
    product_id             bigint  NOT NULL,
    sku                    text,
    product_name           text,
    category_id            bigint,
    category_name          text,
    brand                  text,
    warehouse_count        bigint,
    quantity_on_hand       bigint,
    quantity_reserved      bigint,
    quantity_available     bigint,
    quantity_incoming      bigint,
    safety_stock           bigint,
    inventory_value_cny    numeric,
    units_sold_30d         bigint,
    avg_daily_units        numeric,
    days_of_cover          numeric,
    turnover_30d           numeric,
    stock_status           text,
    suggested_reorder_qty  bigint,
    cost_sold_30d          numeric
);

-- The aggregate's rows for some products of some merchants ((NULL, NULL): every row), with the 30
-- days of sales before as_of (today unless a test says otherwise).
CREATE FUNCTION mart.mv_inventory_summary_rows(merchants bigint[], products bigint[], as_of date DEFAULT CURRENT_DATE)
RETURNS SETOF mart.mv_inventory_summary
LANGUAGE sql
STABLE
BEGIN ATOMIC
WITH stock AS (
    SELECT i.merchant_id, i.product_id,
           count(*) AS warehouse_count,
           sum(i.quantity_on_hand)::bigint AS quantity_on_hand,
           sum(i.quantity_reserved)::bigint AS quantity_reserved,
           sum(i.quantity_available)::bigint AS quantity_available,
           sum(i.quantity_incoming)::bigint AS quantity_incoming,
           sum(i.safety_stock)::bigint AS safety_stock,
           -- Exact (on hand x a cost of 4 decimals): rounded per position and then summed, the merchant's total drifted from
           -- the positions' own sum by cents (0.12 over 424 positions); readers round a sum once, at the end.
           sum(i.quantity_on_hand * i.average_unit_cost) AS inventory_value_cny
    FROM dw.fact_inventory AS i
    WHERE (merchants IS NULL AND products IS NULL) OR (i.merchant_id = ANY (merchants) AND i.product_id = ANY (products))
    GROUP BY i.merchant_id, i.product_id
),
sold AS (
    -- From the daily product sales (valid orders only; units and cost of the lines, cost already
    -- in cents per line, so the per-day sums add up to the lines' sum): 30 days of rows per product
    -- instead of every order line joined to its order.
    SELECT d.merchant_id, d.product_id,
           sum(d.units_sold)::bigint AS units_sold_30d,
           sum(d.cost_cny) AS cost_sold_30d
    FROM mart.mv_product_sales_daily AS d
    WHERE d.sales_date >= as_of - 30 AND d.sales_date < as_of
      AND ((merchants IS NULL AND products IS NULL) OR (d.merchant_id = ANY (merchants) AND d.product_id = ANY (products)))
    GROUP BY d.merchant_id, d.product_id
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
       s.inventory_value_cny,
       coalesce(d.units_sold_30d, 0) AS units_sold_30d,
       round(coalesce(d.units_sold_30d, 0) / 30.0, 4) AS avg_daily_units,
       round(s.quantity_available / nullif(coalesce(d.units_sold_30d, 0) / 30.0, 0), 1) AS days_of_cover,
       round(coalesce(d.cost_sold_30d, 0) / nullif(s.inventory_value_cny, 0), 4) AS turnover_30d,
       dw.stock_status(s.quantity_available, s.safety_stock) AS stock_status,
       dw.suggested_reorder_qty(s.safety_stock, coalesce(d.units_sold_30d, 0), s.quantity_available, s.quantity_incoming)
           AS suggested_reorder_qty,
       coalesce(d.cost_sold_30d, 0) AS cost_sold_30d
FROM stock AS s
JOIN dw.dim_products AS p ON p.merchant_id = s.merchant_id AND p.product_id = s.product_id
LEFT JOIN dw.dim_categories AS c ON c.merchant_id = p.merchant_id AND c.category_id = p.category_id
LEFT JOIN sold AS d ON d.merchant_id = s.merchant_id AND d.product_id = s.product_id;
END;

-- What moving the date from from_day to to_day changed: the products with order lines on the days
-- that left the 30-day window and on those that entered it. A plain SQL body, not BEGIN ATOMIC: it
-- records no column dependencies, so a migration may change what it reads without dropping it
-- (this file re-creates it).
CREATE OR REPLACE FUNCTION mart.mv_inventory_summary_date_moved(from_day date, to_day date)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO ops.agg_product_invalidations (view_name, merchant_id, product_id, source_name)
    SELECT DISTINCT 'mart.mv_inventory_summary', it.merchant_id, it.product_id, 'date moved'
    FROM (SELECT l.merchant_id, l.product_id FROM dw.fact_order_items AS l
          WHERE l.order_date >= LEAST(from_day, to_day) - 30 AND l.order_date < GREATEST(from_day, to_day) - 30
          UNION ALL
          SELECT l.merchant_id, l.product_id FROM dw.fact_order_items AS l
          WHERE l.order_date >= LEAST(from_day, to_day) AND l.order_date < GREATEST(from_day, to_day)) AS it;
$$;

-- The fill consumes the deltas logged for the table it replaces, in the same statement.
WITH consumed AS (DELETE FROM ops.product_sales_deltas WHERE view_name = 'mart.mv_inventory_summary')
INSERT INTO mart.mv_inventory_summary SELECT * FROM mart.mv_inventory_summary_rows(NULL, NULL);

CREATE UNIQUE INDEX mv_inventory_summary_key ON mart.mv_inventory_summary (merchant_id, product_id);
CREATE INDEX mv_inventory_summary_status_idx ON mart.mv_inventory_summary (merchant_id, stock_status);
CREATE INDEX mv_inventory_summary_category_idx ON mart.mv_inventory_summary (merchant_id, category_id);
CREATE INDEX mv_inventory_summary_reorder_idx ON mart.mv_inventory_summary (merchant_id, suggested_reorder_qty DESC);
CREATE INDEX mv_inventory_summary_product_idx ON mart.mv_inventory_summary (product_id);
ANALYZE mart.mv_inventory_summary;

COMMENT ON TABLE mart.mv_inventory_summary IS 'Stock per merchant and product over all warehouses with value, 30-day sales, days of cover, turnover, stock status and suggested reorder quantity (definitions in sql/views/mart.mv_inventory_summary.sql): an incremental aggregate kept per product that only the refresh functions write. Readers use mart.inventory_summary.';
COMMENT ON COLUMN mart.mv_inventory_summary.inventory_value_cny IS 'On hand x weighted average unit cost, in CNY, summed over the warehouses unrounded (4 decimals): round a sum of it once, at the end, and it equals the positions'' own sum.';
COMMENT ON COLUMN mart.mv_inventory_summary.units_sold_30d IS 'Units of valid orders over the 30 days before today.';
COMMENT ON COLUMN mart.mv_inventory_summary.cost_sold_30d IS 'Cost (CNY) of the units of valid orders over the 30 days before today: kept so that the refresh can add a day''s deltas to it and derive turnover_30d again (ops.refresh_inventory_summary).';
COMMENT ON COLUMN mart.mv_inventory_summary.days_of_cover IS 'quantity_available / avg_daily_units; NULL without sales.';
COMMENT ON COLUMN mart.mv_inventory_summary.turnover_30d IS 'Cost of the units sold in 30 days / inventory value; NULL without stock value.';
COMMENT ON COLUMN mart.mv_inventory_summary.stock_status IS 'out_of_stock (nothing available), low_stock (available <= safety stock) or normal.';
COMMENT ON COLUMN mart.mv_inventory_summary.suggested_reorder_qty IS 'max(0, safety_stock + units_sold_30d - available - incoming): 30 more days of sales at the last 30 days'' rate above the safety stock; for a low or out-of-stock product that sold in those days incoming is left out (it did not keep the product above its safety stock), so the suggestion is never 0 while it sells.';

COMMENT ON FUNCTION mart.mv_inventory_summary_rows(bigint[], bigint[], date) IS 'The rows of mart.mv_inventory_summary for the given products of the given merchants ((NULL, NULL): all), 30-day sales up to the day before as_of (default today): what its refresh inserts.';
COMMENT ON FUNCTION mart.mv_inventory_summary_date_moved(date, date) IS 'Date-moved function of mart.mv_inventory_summary (ops.mv_registry.date_moved_function): logs the products with order lines on the days that left or entered the 30-day window when the date moved between the two days.';

REVOKE ALL ON mart.mv_inventory_summary FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.inventory_summary.
SELECT ops.enable_reader_scope('mart.mv_inventory_summary');
REVOKE EXECUTE ON FUNCTION mart.mv_inventory_summary_rows(bigint[], bigint[], date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION mart.mv_inventory_summary_date_moved(date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_inventory_summary', 'mart.mv_inventory_summary_rows(bigint[], bigint[], date)', 'product_id', 'product',
    '$default_refresh_interval$', '$default_stale_after$', 'Stock, turnover and reorder suggestion per merchant and product.');
-- delta_function: its refresh adds the deltas of the base (ops.product_sales_deltas) to the 30-day
-- sums of the products they name (ops.refresh_inventory_summary).
UPDATE ops.mv_registry
SET date_moved_function = 'mart.mv_inventory_summary_date_moved(date, date)', as_of_date = CURRENT_DATE,
    delta_function = 'ops.refresh_inventory_summary(text, boolean, pg_catalog.pg_snapshot)'
WHERE view_name = 'mart.mv_inventory_summary';

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan, so
-- the view is flattened into the query. The filter scopes callers that row level security does
-- not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.inventory_summary WITH (security_invoker) AS
    SELECT * FROM mart.mv_inventory_summary WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.inventory_summary IS 'Reader view of mart.mv_inventory_summary (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.inventory_summary TO erp_reader;

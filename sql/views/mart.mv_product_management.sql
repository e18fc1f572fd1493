-- mart.mv_product_management: the product management list: per merchant, shop,
-- product and day of the last 90 days, the listing's price, platform stock, sales,
-- traffic, conversion and rating, pre-joined with shop, platform, product and category.
-- requires: dw.fact_product_metrics, dw.dim_shops, dw.dim_platforms, dw.dim_products, dw.dim_categories
-- Why 90 days: the product screens work on recent listings, and the view (and its
-- refresh, target < 30 s) is sized for a 90-day window; older history stays in the partitioned fact.
-- No stock status here: low stock has one definition, dw.stock_status over the warehouse stock
-- (mart.mv_inventory_summary); the product query joins it (sql/queries/products.sql).

DROP MATERIALIZED VIEW IF EXISTS mart.mv_product_management CASCADE;

CREATE MATERIALIZED VIEW mart.mv_product_management AS
SELECT m.merchant_id,
       m.shop_id,
       s.shop_name,
       s.platform_id,
       pl.platform_code,
       pl.platform_name,
       m.product_id,
       p.sku,
       p.product_name,
       p.category_id,
       c.category_name,
       p.brand,
       m.metric_date,
       m.currency_code,
       m.price,
       m.price_cny,
       m.stock,
       m.sales_volume,
       m.sales_amount,
       m.sales_amount_cny,
       m.page_views,
       m.visitors,
       m.conversion_rate,
       round(CASE WHEN m.page_views > 0 THEN m.sales_volume::numeric / m.page_views * 100 ELSE 0 END, 4) AS page_conversion_pct,
       m.rating,
       m.review_count,
       m.listing_status,
       round(m.sales_volume * m.price_cny, 2) AS estimated_revenue_cny,
       m.metric_date = max(m.metric_date) OVER (PARTITION BY m.merchant_id, m.shop_id, m.product_id) AS is_latest,
       m.updated_at
FROM dw.fact_product_metrics AS m
JOIN dw.dim_shops AS s ON s.merchant_id = m.merchant_id AND s.shop_id = m.shop_id
JOIN dw.dim_platforms AS pl ON pl.platform_id = s.platform_id
JOIN dw.dim_products AS p ON p.merchant_id = m.merchant_id AND p.product_id = m.product_id
LEFT JOIN dw.dim_categories AS c ON c.merchant_id = p.merchant_id AND c.category_id = p.category_id
WHERE m.metric_date >= CURRENT_DATE - 90
WITH DATA;

CREATE UNIQUE INDEX mv_product_management_key ON mart.mv_product_management (merchant_id, shop_id, product_id, metric_date);
-- The product list shows each listing's latest day: partial indexes hold just those rows (one per
-- listing instead of up to 90), ordered for the default sort, so a page is a short index scan.
CREATE INDEX mv_product_management_latest_revenue_idx ON mart.mv_product_management (merchant_id, estimated_revenue_cny DESC NULLS LAST)
    WHERE is_latest;
CREATE INDEX mv_product_management_latest_platform_idx ON mart.mv_product_management (merchant_id, platform_code, estimated_revenue_cny DESC NULLS LAST)
    WHERE is_latest;
CREATE INDEX mv_product_management_date_idx ON mart.mv_product_management (merchant_id, metric_date);
CREATE INDEX mv_product_management_platform_idx ON mart.mv_product_management (merchant_id, platform_code);
CREATE INDEX mv_product_management_category_idx ON mart.mv_product_management (merchant_id, category_id);
CREATE INDEX mv_product_management_listing_status_idx ON mart.mv_product_management (merchant_id, listing_status);
CREATE INDEX mv_product_management_price_idx ON mart.mv_product_management (merchant_id, price_cny);
CREATE INDEX mv_product_management_sku_idx ON mart.mv_product_management (merchant_id, sku);

COMMENT ON MATERIALIZED VIEW mart.mv_product_management IS 'Product management list: per merchant, shop, product and day of the last 90 days, price, platform stock, sales, traffic, conversion, rating. Readers use mart.product_management.';
COMMENT ON COLUMN mart.mv_product_management.is_latest IS 'True on each listing''s latest day in the window: the row the product list shows.';
COMMENT ON COLUMN mart.mv_product_management.stock IS 'The listing''s stock on the platform that day (not the warehouse stock; low stock is judged on the warehouse stock, mart.mv_inventory_summary).';
COMMENT ON COLUMN mart.mv_product_management.page_conversion_pct IS 'sales_volume / page_views x 100; 0 without page views.';
COMMENT ON COLUMN mart.mv_product_management.estimated_revenue_cny IS 'sales_volume x price_cny.';

REVOKE ALL ON mart.mv_product_management FROM PUBLIC;

SELECT ops.register_view('mart.mv_product_management', '$default_refresh_interval$', '$default_stale_after$', true,
    'Product listings of the last 90 days.');

CREATE OR REPLACE VIEW mart.product_management WITH (security_barrier) AS
    SELECT * FROM mart.mv_product_management WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.product_management IS 'Reader view of mart.mv_product_management: the transaction''s merchant only.';
GRANT SELECT ON mart.product_management TO erp_reader;

-- mart.mv_product_management: the product management list: per merchant, shop,
-- product and day of the last 90 days, the listing's price, platform stock, sales,
-- traffic, conversion and rating, pre-joined with shop, platform, product and category.
-- requires: dw.fact_product_metrics, dw.dim_shops, dw.dim_platforms, dw.dim_products, dw.dim_categories
-- Its invalidation triggers on dw.fact_product_metrics and dw.dim_categories: migration 0031.
-- Why 90 days: the product screens work on recent listings, and the table (and its
-- refresh, target < 30 s) is sized for a 90-day window; older history stays in the partitioned fact.
-- No stock status here: low stock has one definition, dw.stock_status over the warehouse stock
-- (mart.mv_inventory_summary); the product query joins it (sql/queries/products.sql).
-- An incremental aggregate by merchant (docs/refresh.md), like mart.mv_top_products: is_latest
-- looks across a listing's days, so a refresh recomputes every row of the merchants whose metrics,
-- products, categories or shops changed, and everything when the rows were computed on another day
-- (the 90-day window moved). A table rather than a materialized view so that readers are scoped by
-- row level security inside the plan (docs/merchant-isolation.md): the product page is then a
-- short walk of a partial index instead of a sort of all the merchant's listings.

SELECT ops.drop_mart_relation('mart.mv_product_management');

CREATE TABLE mart.mv_product_management (
    merchant_id            bigint        NOT NULL,
    shop_id                bigint        NOT NULL,
    shop_name              text,
    platform_id            smallint,
    platform_code          text,
    platform_name          text,
    product_id             bigint        NOT NULL,
    sku                    text,
    product_name           text,
    category_id            bigint,
    category_name          text,
    brand                  text,
    metric_date            date          NOT NULL,
    currency_code          char(3),
    price                  numeric(18, 2),
    price_cny              numeric(18, 2),
    stock                  integer,
    sales_volume           integer,
    sales_amount           numeric(18, 2),
    sales_amount_cny       numeric(18, 2),
    page_views             integer,
    visitors               integer,
    conversion_rate        numeric(9, 6),
    page_conversion_pct    numeric,
    rating                 numeric(3, 2),
    review_count           integer,
    listing_status         text,
    estimated_revenue_cny  numeric,
    is_latest              boolean       NOT NULL,
    updated_at             timestamptz,
    window_end             date          NOT NULL
);

-- The aggregate's rows for some merchants (NULL: all); the window always ends on CURRENT_DATE,
-- so the days given only bound what is read (the refresh passes -infinity..infinity).
CREATE FUNCTION mart.mv_product_management_rows(merchants bigint[], first_day date, last_day date)
RETURNS SETOF mart.mv_product_management
LANGUAGE sql
STABLE
BEGIN ATOMIC
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
       m.updated_at,
       CURRENT_DATE AS window_end
FROM dw.fact_product_metrics AS m
JOIN dw.dim_shops AS s ON s.merchant_id = m.merchant_id AND s.shop_id = m.shop_id
JOIN dw.dim_platforms AS pl ON pl.platform_id = s.platform_id
JOIN dw.dim_products AS p ON p.merchant_id = m.merchant_id AND p.product_id = m.product_id
LEFT JOIN dw.dim_categories AS c ON c.merchant_id = p.merchant_id AND c.category_id = p.category_id
WHERE m.metric_date >= CURRENT_DATE - 90
  AND m.metric_date BETWEEN first_day AND last_day
  AND (merchants IS NULL OR m.merchant_id = ANY (merchants));
END;

INSERT INTO mart.mv_product_management SELECT * FROM mart.mv_product_management_rows(NULL, '-infinity', 'infinity');

CREATE UNIQUE INDEX mv_product_management_key ON mart.mv_product_management (merchant_id, shop_id, product_id, metric_date);
-- The product list shows each listing's latest day: partial indexes hold just those rows (one per
-- listing instead of up to 90), in the default sort's order with its tie-breakers, so a page is a
-- walk of its first entries (LIMIT) and the count an index scan.
CREATE INDEX mv_product_management_latest_revenue_idx ON mart.mv_product_management
    (merchant_id, estimated_revenue_cny DESC NULLS LAST, product_id, shop_id) WHERE is_latest;
CREATE INDEX mv_product_management_latest_platform_idx ON mart.mv_product_management
    (merchant_id, platform_code, estimated_revenue_cny DESC NULLS LAST, product_id, shop_id) WHERE is_latest;
CREATE INDEX mv_product_management_date_idx ON mart.mv_product_management (merchant_id, metric_date);
CREATE INDEX mv_product_management_platform_idx ON mart.mv_product_management (merchant_id, platform_code);
CREATE INDEX mv_product_management_category_idx ON mart.mv_product_management (merchant_id, category_id);
CREATE INDEX mv_product_management_listing_status_idx ON mart.mv_product_management (merchant_id, listing_status);
CREATE INDEX mv_product_management_price_idx ON mart.mv_product_management (merchant_id, price_cny);
CREATE INDEX mv_product_management_sku_idx ON mart.mv_product_management (merchant_id, sku);
ANALYZE mart.mv_product_management;

COMMENT ON TABLE mart.mv_product_management IS 'Product management list: per merchant, shop, product and day of the last 90 days up to window_end, price, platform stock, sales, traffic, conversion, rating. An incremental aggregate (by merchant) that only the refresh functions write. Readers use mart.product_management.';
COMMENT ON COLUMN mart.mv_product_management.is_latest IS 'True on each listing''s latest day in the window: the row the product list shows.';
COMMENT ON COLUMN mart.mv_product_management.stock IS 'The listing''s stock on the platform that day (not the warehouse stock; low stock is judged on the warehouse stock, mart.mv_inventory_summary).';
COMMENT ON COLUMN mart.mv_product_management.page_conversion_pct IS 'sales_volume / page_views x 100; 0 without page views.';
COMMENT ON COLUMN mart.mv_product_management.estimated_revenue_cny IS 'sales_volume x price_cny.';
COMMENT ON COLUMN mart.mv_product_management.window_end IS 'The refresh day (CURRENT_DATE): the window is the 90 days before it.';
COMMENT ON FUNCTION mart.mv_product_management_rows(bigint[], date, date) IS 'The rows of mart.mv_product_management for the given merchants (NULL: all), the 90 days up to CURRENT_DATE: what its refresh inserts.';

REVOKE ALL ON mart.mv_product_management FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.product_management.
SELECT ops.enable_reader_scope('mart.mv_product_management');
REVOKE EXECUTE ON FUNCTION mart.mv_product_management_rows(bigint[], date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_product_management', 'mart.mv_product_management_rows(bigint[], date, date)', 'window_end', 'merchant',
    '$default_refresh_interval$', '$default_stale_after$', 'Product listings of the last 90 days.');

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan, so
-- the view is flattened into the query (filters pushed, ORDER BY ... LIMIT walks an index). The
-- filter scopes callers that row level security does not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.product_management WITH (security_invoker) AS
    SELECT * FROM mart.mv_product_management WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.product_management IS 'Reader view of mart.mv_product_management (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.product_management TO erp_reader;

-- mart.mv_traffic_funnel_daily: the traffic funnel per merchant, shop (hence platform) and day:
-- visitors, unique visitors, visits that added to cart, started checkout, and orders.
-- requires: dw.fact_traffic_funnel, dw.dim_shops, dw.dim_platforms
-- The base of erpdb funnel (sql/queries/funnel.sql, which holds the rate definitions). Counts
-- only: rates are divisions of sums, never averages of the facts' daily rates.

DROP MATERIALIZED VIEW IF EXISTS mart.mv_traffic_funnel_daily CASCADE;

CREATE MATERIALIZED VIEW mart.mv_traffic_funnel_daily AS
SELECT f.merchant_id,
       f.shop_id,
       s.shop_name,
       s.platform_id,
       p.platform_code,
       f.traffic_date,
       f.visitors::bigint AS visitors,
       f.unique_visitors::bigint AS unique_visitors,
       f.page_views::bigint AS page_views,
       f.add_to_cart::bigint AS add_to_cart,
       f.checkout::bigint AS checkout,
       f.orders::bigint AS orders
FROM dw.fact_traffic_funnel AS f
JOIN dw.dim_shops AS s ON s.merchant_id = f.merchant_id AND s.shop_id = f.shop_id
JOIN dw.dim_platforms AS p ON p.platform_id = s.platform_id
WITH DATA;

CREATE UNIQUE INDEX mv_traffic_funnel_daily_key ON mart.mv_traffic_funnel_daily (merchant_id, shop_id, traffic_date);
CREATE INDEX mv_traffic_funnel_daily_merchant_date_idx ON mart.mv_traffic_funnel_daily (merchant_id, traffic_date);

COMMENT ON MATERIALIZED VIEW mart.mv_traffic_funnel_daily IS 'Traffic funnel counts per merchant, shop and day: visitors -> add to cart -> checkout -> orders. Readers use mart.traffic_funnel_daily.';
COMMENT ON COLUMN mart.mv_traffic_funnel_daily.orders IS 'Orders as the traffic report counts them (may differ slightly from the sales orders).';

REVOKE ALL ON mart.mv_traffic_funnel_daily FROM PUBLIC;

SELECT ops.register_view('mart.mv_traffic_funnel_daily', '$default_refresh_interval$', '$default_stale_after$', true,
    'Traffic funnel per merchant, shop and day.');

CREATE OR REPLACE VIEW mart.traffic_funnel_daily WITH (security_barrier) AS
    SELECT * FROM mart.mv_traffic_funnel_daily WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.traffic_funnel_daily IS 'Reader view of mart.mv_traffic_funnel_daily: the transaction''s merchant only.';
GRANT SELECT ON mart.traffic_funnel_daily TO erp_reader;

-- mart.mv_traffic_funnel_daily: the traffic funnel per merchant, shop (hence platform) and day:
-- visitors, unique visitors, visits that added to cart, started checkout, and orders.
-- requires: dw.fact_traffic_funnel, dw.dim_shops, dw.dim_platforms
-- The base of erpdb funnel (sql/queries/funnel.sql, which holds the rate definitions). Counts
-- only: rates are divisions of sums, never averages of the facts' daily rates.
-- An incremental aggregate (docs/refresh.md): a table that only the refresh functions write,
-- filled by mart.mv_traffic_funnel_daily_rows; a due refresh recomputes only the (merchant, day)
-- buckets that writes to the traffic facts (by traffic_date) and the shops and platforms
-- invalidated (ops.agg_invalidations).

SELECT ops.drop_mart_relation('mart.mv_traffic_funnel_daily');

CREATE TABLE mart.mv_traffic_funnel_daily (
    merchant_id      bigint   NOT NULL,
    shop_id          bigint   NOT NULL,
    shop_name        text,
    platform_id      smallint,
    platform_code    text,
    traffic_date     date     NOT NULL,
    visitors         bigint   NOT NULL,
    unique_visitors  bigint   NOT NULL,
    page_views       bigint   NOT NULL,
    add_to_cart      bigint   NOT NULL,
    checkout         bigint   NOT NULL,
    orders           bigint   NOT NULL
);

-- The aggregate's rows for some merchants (NULL: all) and the days first_day..last_day.
CREATE FUNCTION mart.mv_traffic_funnel_daily_rows(merchants bigint[], first_day date, last_day date)
RETURNS SETOF mart.mv_traffic_funnel_daily
LANGUAGE sql
STABLE
BEGIN ATOMIC
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
WHERE (merchants IS NULL OR f.merchant_id = ANY (merchants))
  AND f.traffic_date BETWEEN first_day AND last_day;
END;

INSERT INTO mart.mv_traffic_funnel_daily SELECT * FROM mart.mv_traffic_funnel_daily_rows(NULL, '-infinity', 'infinity');

CREATE UNIQUE INDEX mv_traffic_funnel_daily_key ON mart.mv_traffic_funnel_daily (merchant_id, shop_id, traffic_date);
CREATE INDEX mv_traffic_funnel_daily_merchant_date_idx ON mart.mv_traffic_funnel_daily (merchant_id, traffic_date);
ANALYZE mart.mv_traffic_funnel_daily;

COMMENT ON TABLE mart.mv_traffic_funnel_daily IS 'Traffic funnel counts per merchant, shop and day: visitors -> add to cart -> checkout -> orders: an incremental aggregate that only the refresh functions write. Readers use mart.traffic_funnel_daily.';
COMMENT ON COLUMN mart.mv_traffic_funnel_daily.orders IS 'Orders as the traffic report counts them (may differ slightly from the sales orders).';
COMMENT ON FUNCTION mart.mv_traffic_funnel_daily_rows(bigint[], date, date) IS 'The rows of mart.mv_traffic_funnel_daily for the given merchants (NULL: all) and days: what its refresh inserts.';

REVOKE ALL ON mart.mv_traffic_funnel_daily FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.traffic_funnel_daily.
SELECT ops.enable_reader_scope('mart.mv_traffic_funnel_daily');
REVOKE EXECUTE ON FUNCTION mart.mv_traffic_funnel_daily_rows(bigint[], date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_traffic_funnel_daily', 'mart.mv_traffic_funnel_daily_rows(bigint[], date, date)', 'traffic_date', 'day',
    '$default_refresh_interval$', '$default_stale_after$', 'Traffic funnel per merchant, shop and day.');

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan, so
-- the view is flattened into the query. The filter scopes callers that row level security does
-- not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.traffic_funnel_daily WITH (security_invoker) AS
    SELECT * FROM mart.mv_traffic_funnel_daily WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.traffic_funnel_daily IS 'Reader view of mart.mv_traffic_funnel_daily (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.traffic_funnel_daily TO erp_reader;

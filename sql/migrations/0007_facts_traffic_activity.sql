-- erpdb:reworded-from 53f001f2f72de3c33a6f84c55de869d7f40e34809cec714a4d92d76a675f4a2e dcc94a19282833f1286e896da454dbb6daa003b51c482aae5ade5a291b230654
-- 0007_facts_traffic_activity: traffic funnel and user activity per shop and day.
-- requires: 0003_ops_support (ops.set_updated_at), 0004_dimensions (dw.dim_shops)
-- Ratios that can be derived from the counts of the same row are GENERATED; monthly figures
-- (MAU, monthly funnel) are derived by views, never stored (daily grain only).

------------------------------------------------------------------------------------------------
-- dw.fact_traffic_funnel
------------------------------------------------------------------------------------------------
CREATE TABLE dw.fact_traffic_funnel (
    merchant_id         bigint        NOT NULL,
    shop_id             bigint        NOT NULL,
    traffic_date        date          NOT NULL,
    visitors            integer       NOT NULL DEFAULT 0,
    unique_visitors     integer       NOT NULL DEFAULT 0,
    page_views          integer       NOT NULL DEFAULT 0,
    add_to_cart         integer       NOT NULL DEFAULT 0,
    checkout            integer       NOT NULL DEFAULT 0,
    orders              integer       NOT NULL DEFAULT 0,
    cart_rate           numeric(9, 6) GENERATED ALWAYS AS
                            (CASE WHEN visitors > 0 THEN round(add_to_cart::numeric / visitors, 6) END) STORED,
    checkout_rate       numeric(9, 6) GENERATED ALWAYS AS
                            (CASE WHEN add_to_cart > 0 THEN round(checkout::numeric / add_to_cart, 6) END) STORED,
    order_rate          numeric(9, 6) GENERATED ALWAYS AS
                            (CASE WHEN visitors > 0 THEN round(orders::numeric / visitors, 6) END) STORED,
    created_at          timestamptz   NOT NULL DEFAULT now(),
    updated_at          timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT fact_traffic_funnel_pkey PRIMARY KEY (merchant_id, shop_id, traffic_date),
    CONSTRAINT fact_traffic_funnel_shop_fkey FOREIGN KEY (merchant_id, shop_id)
        REFERENCES dw.dim_shops (merchant_id, shop_id),
    CONSTRAINT fact_traffic_funnel_counts_nonnegative CHECK (visitors >= 0 AND unique_visitors >= 0
        AND page_views >= 0 AND add_to_cart >= 0 AND checkout >= 0 AND orders >= 0),
    CONSTRAINT fact_traffic_funnel_unique_within_visitors CHECK (unique_visitors <= visitors)
);

-- The primary key serves (merchant, shop, date); this one serves merchant-wide date ranges.
CREATE INDEX fact_traffic_funnel_merchant_date_idx ON dw.fact_traffic_funnel (merchant_id, traffic_date);

COMMENT ON TABLE dw.fact_traffic_funnel IS 'Conversion funnel per shop and day: visitors -> add to cart -> checkout -> orders.';
COMMENT ON COLUMN dw.fact_traffic_funnel.visitors IS 'Visits (sessions) that day as the platform counts them.';
COMMENT ON COLUMN dw.fact_traffic_funnel.unique_visitors IS 'Distinct visitors that day (独立访客).';
COMMENT ON COLUMN dw.fact_traffic_funnel.add_to_cart IS 'Visits with at least one add-to-cart.';
COMMENT ON COLUMN dw.fact_traffic_funnel.checkout IS 'Visits that started checkout.';
COMMENT ON COLUMN dw.fact_traffic_funnel.orders IS 'Orders placed, as the traffic report counts them (may differ slightly from dw.fact_sales_orders).';
COMMENT ON COLUMN dw.fact_traffic_funnel.cart_rate IS 'Generated: add_to_cart / visitors, NULL without visitors.';
COMMENT ON COLUMN dw.fact_traffic_funnel.checkout_rate IS 'Generated: checkout / add_to_cart, NULL without carts.';
COMMENT ON COLUMN dw.fact_traffic_funnel.order_rate IS 'Generated: orders / visitors (overall conversion), NULL without visitors.';

CREATE TRIGGER fact_traffic_funnel_set_updated_at BEFORE UPDATE ON dw.fact_traffic_funnel
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

------------------------------------------------------------------------------------------------
-- dw.fact_user_activity
------------------------------------------------------------------------------------------------
CREATE TABLE dw.fact_user_activity (
    merchant_id           bigint        NOT NULL,
    shop_id               bigint        NOT NULL,
    activity_date         date          NOT NULL,
    active_users          integer       NOT NULL DEFAULT 0,
    new_users             integer       NOT NULL DEFAULT 0,
    returning_users       integer       NOT NULL DEFAULT 0,
    paying_users          integer       NOT NULL DEFAULT 0,
    sessions              integer       NOT NULL DEFAULT 0,
    avg_session_seconds   numeric(12, 2),
    page_views            integer       NOT NULL DEFAULT 0,
    retention_d1          numeric(7, 6),
    retention_d7          numeric(7, 6),
    retention_d30         numeric(7, 6),
    created_at            timestamptz   NOT NULL DEFAULT now(),
    updated_at            timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT fact_user_activity_pkey PRIMARY KEY (merchant_id, shop_id, activity_date),
    CONSTRAINT fact_user_activity_shop_fkey FOREIGN KEY (merchant_id, shop_id)
        REFERENCES dw.dim_shops (merchant_id, shop_id),
    CONSTRAINT fact_user_activity_counts_nonnegative CHECK (active_users >= 0 AND new_users >= 0
        AND returning_users >= 0 AND paying_users >= 0 AND sessions >= 0 AND page_views >= 0),
    CONSTRAINT fact_user_activity_new_and_returning_within_active CHECK
        (new_users + returning_users <= active_users),
    CONSTRAINT fact_user_activity_paying_within_active CHECK (paying_users <= active_users),
    CONSTRAINT fact_user_activity_session_length_nonnegative CHECK (avg_session_seconds >= 0),
    CONSTRAINT fact_user_activity_retention_range CHECK (retention_d1 BETWEEN 0 AND 1
        AND retention_d7 BETWEEN 0 AND 1 AND retention_d30 BETWEEN 0 AND 1)
);

CREATE INDEX fact_user_activity_merchant_date_idx ON dw.fact_user_activity (merchant_id, activity_date);

COMMENT ON TABLE dw.fact_user_activity IS 'User activity per shop and day: DAU, new and returning users, sessions, retention of the day''s cohort. MAU is derived over distinct users elsewhere, not stored.';
COMMENT ON COLUMN dw.fact_user_activity.active_users IS 'Daily active users (DAU).';
COMMENT ON COLUMN dw.fact_user_activity.paying_users IS 'Users who paid at least one order that day (the denominator of ARPPU).';
COMMENT ON COLUMN dw.fact_user_activity.retention_d1 IS 'Share (0..1) of this day''s new users active again 1 day later; NULL until known.';
COMMENT ON COLUMN dw.fact_user_activity.retention_d7 IS 'Share (0..1) of this day''s new users active again 7 days later; NULL until known.';
COMMENT ON COLUMN dw.fact_user_activity.retention_d30 IS 'Share (0..1) of this day''s new users active again 30 days later; NULL until known.';

CREATE TRIGGER fact_user_activity_set_updated_at BEFORE UPDATE ON dw.fact_user_activity
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

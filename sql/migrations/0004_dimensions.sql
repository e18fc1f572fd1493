-- 0004_dimensions: the dimension tables of the star schema (dw.dim_*), currencies and daily
-- exchange rates, the calendar fill function dw.fill_dim_date and the seeded reference rows.
-- requires: 0001_schemas (schema dw), 0002_roles (erp_owner), 0003_ops_support (ops.set_updated_at)
--
-- Two kinds of dimension:
--   shared (no merchant_id; one copy for everybody, Citus reference tables later):
--     dim_date, dim_currencies, fact_exchange_rates, dim_platforms, dim_regions, dim_channels,
--     dim_user_levels
--   merchant-owned (merchant_id NOT NULL; row level security in 0010):
--     dim_merchants, dim_shops, dim_categories, dim_products, dim_customers
-- Every merchant-owned dimension has UNIQUE (merchant_id, <id>) so that facts reference it with a
-- composite foreign key that carries merchant_id (a fact row can never point at another
-- merchant's shop or product, and the keys stay valid when facts are distributed by merchant).

------------------------------------------------------------------------------------------------
-- dw.dim_date
------------------------------------------------------------------------------------------------
CREATE TABLE dw.dim_date (
    calendar_date  date        PRIMARY KEY,
    date_key       integer     NOT NULL,
    year           smallint    NOT NULL,
    quarter        smallint    NOT NULL,
    month          smallint    NOT NULL,
    month_name     text        NOT NULL,
    day_of_month   smallint    NOT NULL,
    day_of_year    smallint    NOT NULL,
    iso_year       smallint    NOT NULL,
    iso_week       smallint    NOT NULL,
    day_of_week    smallint    NOT NULL,
    day_name       text        NOT NULL,
    is_weekend     boolean     NOT NULL,
    is_holiday     boolean     NOT NULL DEFAULT false,
    holiday_name   text,
    week_start     date        NOT NULL,
    month_start    date        NOT NULL,
    quarter_start  date        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dim_date_date_key_unique UNIQUE (date_key),
    CONSTRAINT dim_date_quarter_range CHECK (quarter BETWEEN 1 AND 4),
    CONSTRAINT dim_date_month_range CHECK (month BETWEEN 1 AND 12),
    CONSTRAINT dim_date_iso_week_range CHECK (iso_week BETWEEN 1 AND 53),
    CONSTRAINT dim_date_day_of_week_range CHECK (day_of_week BETWEEN 1 AND 7),
    CONSTRAINT dim_date_holiday_named CHECK (holiday_name IS NULL OR is_holiday)
);

CREATE INDEX dim_date_year_month_idx ON dw.dim_date (year, month);
CREATE INDEX dim_date_iso_year_week_idx ON dw.dim_date (iso_year, iso_week);

COMMENT ON TABLE dw.dim_date IS 'Calendar dimension, one row per day; filled by dw.fill_dim_date(from, to). Facts carry plain dates and join here for calendar attributes (no foreign key, so history outside the filled range still loads).';
COMMENT ON COLUMN dw.dim_date.date_key IS 'yyyymmdd as an integer (20260131), for tools that want an integer date key.';
COMMENT ON COLUMN dw.dim_date.iso_year IS 'ISO 8601 week-numbering year: differs from year for days of week 1 that fall in late December or of week 52/53 in early January.';
COMMENT ON COLUMN dw.dim_date.iso_week IS 'ISO 8601 week number (1..53), weeks start on Monday.';
COMMENT ON COLUMN dw.dim_date.day_of_week IS 'ISO day of week: 1 = Monday .. 7 = Sunday.';
COMMENT ON COLUMN dw.dim_date.is_holiday IS 'Public holiday flag; maintained by hand or by an import, never overwritten by dw.fill_dim_date.';
COMMENT ON COLUMN dw.dim_date.week_start IS 'Monday of the ISO week of this day: the grouping key of weekly aggregates.';

CREATE TRIGGER dim_date_set_updated_at BEFORE UPDATE ON dw.dim_date
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

CREATE OR REPLACE FUNCTION dw.fill_dim_date(from_date date, to_date date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    affected integer;
BEGIN
    IF from_date IS NULL OR to_date IS NULL OR to_date < from_date THEN
        RAISE EXCEPTION 'dw.fill_dim_date: invalid range % .. %', from_date, to_date
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- Idempotent: calendar attributes are (re)computed, holiday flags are kept.
    INSERT INTO dw.dim_date AS d (
        calendar_date, date_key, year, quarter, month, month_name, day_of_month, day_of_year,
        iso_year, iso_week, day_of_week, day_name, is_weekend, week_start, month_start, quarter_start)
    SELECT g.day,
           (extract(year FROM g.day) * 10000 + extract(month FROM g.day) * 100 + extract(day FROM g.day))::integer,
           extract(year FROM g.day)::smallint,
           extract(quarter FROM g.day)::smallint,
           extract(month FROM g.day)::smallint,
           trim(to_char(g.day, 'Month')),
           extract(day FROM g.day)::smallint,
           extract(doy FROM g.day)::smallint,
           extract(isoyear FROM g.day)::smallint,
           extract(week FROM g.day)::smallint,
           extract(isodow FROM g.day)::smallint,
           trim(to_char(g.day, 'Day')),
           extract(isodow FROM g.day) IN (6, 7),
           date_trunc('week', g.day)::date,
           date_trunc('month', g.day)::date,
           date_trunc('quarter', g.day)::date
    FROM pg_catalog.generate_series(from_date::timestamp, to_date::timestamp, interval '1 day') AS s(ts)
    CROSS JOIN LATERAL (SELECT s.ts::date) AS g(day)
    ON CONFLICT (calendar_date) DO UPDATE
        SET date_key = EXCLUDED.date_key,
            year = EXCLUDED.year,
            quarter = EXCLUDED.quarter,
            month = EXCLUDED.month,
            month_name = EXCLUDED.month_name,
            day_of_month = EXCLUDED.day_of_month,
            day_of_year = EXCLUDED.day_of_year,
            iso_year = EXCLUDED.iso_year,
            iso_week = EXCLUDED.iso_week,
            day_of_week = EXCLUDED.day_of_week,
            day_name = EXCLUDED.day_name,
            is_weekend = EXCLUDED.is_weekend,
            week_start = EXCLUDED.week_start,
            month_start = EXCLUDED.month_start,
            quarter_start = EXCLUDED.quarter_start
        WHERE (d.date_key, d.iso_week, d.week_start) IS DISTINCT FROM
              (EXCLUDED.date_key, EXCLUDED.iso_week, EXCLUDED.week_start);
    GET DIAGNOSTICS affected = ROW_COUNT;
    RETURN affected;
END
$$;

COMMENT ON FUNCTION dw.fill_dim_date(date, date) IS
    'Fills dw.dim_date for every day of [from_date, to_date]; idempotent (recomputes calendar columns, keeps holiday flags). Returns rows inserted or changed.';
REVOKE EXECUTE ON FUNCTION dw.fill_dim_date(date, date) FROM PUBLIC;

SELECT dw.fill_dim_date(DATE '2020-01-01', DATE '2030-12-31');

------------------------------------------------------------------------------------------------
-- dw.dim_currencies and dw.fact_exchange_rates (shared reference data)
------------------------------------------------------------------------------------------------
CREATE TABLE dw.dim_currencies (
    currency_code  char(3)     PRIMARY KEY,
    currency_name  text        NOT NULL,
    symbol         text,
    minor_units    smallint    NOT NULL DEFAULT 2,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dim_currencies_code_format CHECK (currency_code ~ '^[A-Z]{3}$'),
    CONSTRAINT dim_currencies_minor_units_range CHECK (minor_units BETWEEN 0 AND 4)
);

COMMENT ON TABLE dw.dim_currencies IS 'ISO 4217 currencies that orders, prices and fees may be stated in. CNY is the reporting currency.';
COMMENT ON COLUMN dw.dim_currencies.minor_units IS 'Decimal places of the currency (JPY, VND, IDR: 0); amounts are still stored as numeric(18,2).';

CREATE TRIGGER dim_currencies_set_updated_at BEFORE UPDATE ON dw.dim_currencies
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

INSERT INTO dw.dim_currencies (currency_code, currency_name, symbol, minor_units) VALUES
    ('CNY', 'Chinese yuan', '¥', 2),
    ('USD', 'US dollar', '$', 2),
    ('EUR', 'Euro', '€', 2),
    ('GBP', 'Pound sterling', '£', 2),
    ('JPY', 'Japanese yen', '¥', 0),
    ('SGD', 'Singapore dollar', 'S$', 2),
    ('MYR', 'Malaysian ringgit', 'RM', 2),
    ('THB', 'Thai baht', '฿', 2),
    ('IDR', 'Indonesian rupiah', 'Rp', 0),
    ('PHP', 'Philippine peso', '₱', 2),
    ('VND', 'Vietnamese dong', '₫', 0),
    ('TWD', 'New Taiwan dollar', 'NT$', 2),
    ('BRL', 'Brazilian real', 'R$', 2),
    ('MXN', 'Mexican peso', 'MX$', 2);

CREATE TABLE dw.fact_exchange_rates (
    currency_code  char(3)        NOT NULL REFERENCES dw.dim_currencies (currency_code),
    rate_date      date           NOT NULL,
    rate_to_cny    numeric(18, 8) NOT NULL,
    source         text           NOT NULL DEFAULT 'manual',
    created_at     timestamptz    NOT NULL DEFAULT now(),
    updated_at     timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT fact_exchange_rates_pkey PRIMARY KEY (currency_code, rate_date),
    CONSTRAINT fact_exchange_rates_rate_positive CHECK (rate_to_cny > 0),
    CONSTRAINT fact_exchange_rates_cny_is_one CHECK (currency_code <> 'CNY' OR rate_to_cny = 1)
);

CREATE INDEX fact_exchange_rates_rate_date_idx ON dw.fact_exchange_rates (rate_date);

COMMENT ON TABLE dw.fact_exchange_rates IS 'Daily exchange rate of each currency to CNY. Shared by all merchants (no merchant_id: a reference table, not a merchant fact).';
COMMENT ON COLUMN dw.fact_exchange_rates.rate_to_cny IS 'CNY per one unit of currency_code on rate_date: amount_cny = amount * rate_to_cny.';
COMMENT ON COLUMN dw.fact_exchange_rates.source IS 'Where the rate came from (bank, platform settlement, manual).';

CREATE TRIGGER fact_exchange_rates_set_updated_at BEFORE UPDATE ON dw.fact_exchange_rates
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

------------------------------------------------------------------------------------------------
-- Shared lookups: platforms, regions, channels, user levels
------------------------------------------------------------------------------------------------
CREATE TABLE dw.dim_platforms (
    platform_id    smallint    GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    platform_code  text        NOT NULL,
    platform_name  text        NOT NULL,
    is_active      boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dim_platforms_code_unique UNIQUE (platform_code),
    CONSTRAINT dim_platforms_code_format CHECK (platform_code ~ '^[a-z][a-z0-9_]*$')
);

COMMENT ON TABLE dw.dim_platforms IS 'Sales platforms and marketplaces (Shopee, TikTok Shop, Amazon, Lazada, ...).';
COMMENT ON COLUMN dw.dim_platforms.platform_code IS 'Stable lower-case code used by imports and query filters (shopee, tiktok, amazon).';

CREATE TRIGGER dim_platforms_set_updated_at BEFORE UPDATE ON dw.dim_platforms
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

INSERT INTO dw.dim_platforms (platform_code, platform_name) VALUES
    ('shopee', 'Shopee'),
    ('tiktok', 'TikTok Shop'),
    ('amazon', 'Amazon'),
    ('lazada', 'Lazada'),
    ('shopify', 'Shopify'),
    ('own_site', 'Own web shop'),
    ('other', 'Other');

CREATE TABLE dw.dim_regions (
    region_id      integer     GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    region_code    text        NOT NULL,
    region_name    text        NOT NULL,
    parent_id      integer     REFERENCES dw.dim_regions (region_id),
    region_level   text        NOT NULL,
    country_code   char(2),
    city_tier      smallint,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dim_regions_code_unique UNIQUE (region_code),
    CONSTRAINT dim_regions_level_known CHECK (region_level IN ('area', 'country', 'province', 'city')),
    CONSTRAINT dim_regions_city_tier_range CHECK (city_tier BETWEEN 1 AND 6),
    CONSTRAINT dim_regions_not_own_parent CHECK (parent_id <> region_id)
);

CREATE INDEX dim_regions_parent_idx ON dw.dim_regions (parent_id);

COMMENT ON TABLE dw.dim_regions IS 'Geographic regions (sales areas, countries, provinces, cities) as a hierarchy via parent_id.';
COMMENT ON COLUMN dw.dim_regions.region_level IS 'area (华东, 华南, ... or a market such as SEA), country, province or city.';
COMMENT ON COLUMN dw.dim_regions.city_tier IS 'Chinese city tier (1 = tier-one city .. 6), NULL when not a city or unknown.';

CREATE TRIGGER dim_regions_set_updated_at BEFORE UPDATE ON dw.dim_regions
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

INSERT INTO dw.dim_regions (region_code, region_name, region_level, country_code) VALUES
    ('cn_east', '华东', 'area', 'CN'),
    ('cn_south', '华南', 'area', 'CN'),
    ('cn_north', '华北', 'area', 'CN'),
    ('cn_central', '华中', 'area', 'CN'),
    ('cn_southwest', '西南', 'area', 'CN'),
    ('cn_northwest', '西北', 'area', 'CN'),
    ('cn_northeast', '东北', 'area', 'CN');

CREATE TABLE dw.dim_channels (
    channel_id     smallint    GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    channel_code   text        NOT NULL,
    channel_name   text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dim_channels_code_unique UNIQUE (channel_code)
);

COMMENT ON TABLE dw.dim_channels IS 'Acquisition or ordering channel of a customer (app, mini program, H5, PC, ...).';

CREATE TRIGGER dim_channels_set_updated_at BEFORE UPDATE ON dw.dim_channels
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

INSERT INTO dw.dim_channels (channel_code, channel_name) VALUES
    ('app', 'App'),
    ('mini_program', '小程序 Mini program'),
    ('h5', 'H5 mobile web'),
    ('pc', 'PC web'),
    ('unknown', 'Unknown');

CREATE TABLE dw.dim_user_levels (
    user_level_id  smallint       GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    level_code     text           NOT NULL,
    level_name     text           NOT NULL,
    level_rank     smallint       NOT NULL,
    min_spend_cny  numeric(18, 2) NOT NULL DEFAULT 0,
    created_at     timestamptz    NOT NULL DEFAULT now(),
    updated_at     timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT dim_user_levels_code_unique UNIQUE (level_code),
    CONSTRAINT dim_user_levels_rank_unique UNIQUE (level_rank),
    CONSTRAINT dim_user_levels_min_spend_nonnegative CHECK (min_spend_cny >= 0)
);

COMMENT ON TABLE dw.dim_user_levels IS 'Customer membership levels (普通/黄金/铂金/钻石).';
COMMENT ON COLUMN dw.dim_user_levels.level_rank IS 'Order of the levels, 1 = lowest.';
COMMENT ON COLUMN dw.dim_user_levels.min_spend_cny IS 'Cumulative spend in CNY from which a customer reaches this level.';

CREATE TRIGGER dim_user_levels_set_updated_at BEFORE UPDATE ON dw.dim_user_levels
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

INSERT INTO dw.dim_user_levels (level_code, level_name, level_rank, min_spend_cny) VALUES
    ('normal', '普通 Normal', 1, 0),
    ('gold', '黄金 Gold', 2, 1000),
    ('platinum', '铂金 Platinum', 3, 5000),
    ('diamond', '钻石 Diamond', 4, 20000);

------------------------------------------------------------------------------------------------
-- Merchant-owned dimensions
------------------------------------------------------------------------------------------------
CREATE TABLE dw.dim_merchants (
    merchant_id    bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    merchant_code  text        NOT NULL,
    merchant_name  text        NOT NULL,
    base_currency  char(3)     NOT NULL DEFAULT 'CNY' REFERENCES dw.dim_currencies (currency_code),
    timezone       text        NOT NULL DEFAULT 'Asia/Shanghai',
    status         text        NOT NULL DEFAULT 'active',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dim_merchants_code_unique UNIQUE (merchant_code),
    CONSTRAINT dim_merchants_status_known CHECK (status IN ('active', 'suspended', 'closed'))
);

COMMENT ON TABLE dw.dim_merchants IS 'Merchants (tenants). Every merchant-owned row in dw carries merchant_id; readers see only their merchant (docs/merchant-isolation.md).';
COMMENT ON COLUMN dw.dim_merchants.merchant_code IS 'Stable external identifier of the merchant (used by imports).';
COMMENT ON COLUMN dw.dim_merchants.timezone IS 'IANA time zone in which the merchant''s business day (order_date, metric_date, ...) is cut.';

CREATE TRIGGER dim_merchants_set_updated_at BEFORE UPDATE ON dw.dim_merchants
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

CREATE TABLE dw.dim_shops (
    shop_id            bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    merchant_id        bigint      NOT NULL REFERENCES dw.dim_merchants (merchant_id),
    platform_id        smallint    NOT NULL REFERENCES dw.dim_platforms (platform_id),
    platform_shop_code text        NOT NULL,
    shop_name          text        NOT NULL,
    site_country_code  char(2),
    currency_code      char(3)     NOT NULL DEFAULT 'CNY' REFERENCES dw.dim_currencies (currency_code),
    status             text        NOT NULL DEFAULT 'active',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dim_shops_merchant_shop_unique UNIQUE (merchant_id, shop_id),
    CONSTRAINT dim_shops_platform_code_unique UNIQUE (merchant_id, platform_id, platform_shop_code),
    CONSTRAINT dim_shops_status_known CHECK (status IN ('active', 'paused', 'closed'))
);

CREATE INDEX dim_shops_platform_idx ON dw.dim_shops (merchant_id, platform_id);

COMMENT ON TABLE dw.dim_shops IS 'A merchant''s shop (store) on one platform.';
COMMENT ON COLUMN dw.dim_shops.platform_shop_code IS 'The shop''s id on its platform, as imports carry it.';
COMMENT ON COLUMN dw.dim_shops.site_country_code IS 'Marketplace site country (ISO 3166-1 alpha-2), e.g. SG for shopee.sg.';
COMMENT ON COLUMN dw.dim_shops.currency_code IS 'Currency the platform reports this shop''s orders in.';

CREATE TRIGGER dim_shops_set_updated_at BEFORE UPDATE ON dw.dim_shops
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

CREATE TABLE dw.dim_categories (
    category_id    bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    merchant_id    bigint      NOT NULL REFERENCES dw.dim_merchants (merchant_id),
    category_code  text        NOT NULL,
    category_name  text        NOT NULL,
    parent_id      bigint,
    level          smallint    NOT NULL DEFAULT 1,
    path           text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dim_categories_merchant_category_unique UNIQUE (merchant_id, category_id),
    CONSTRAINT dim_categories_code_unique UNIQUE (merchant_id, category_code),
    CONSTRAINT dim_categories_parent_fkey FOREIGN KEY (merchant_id, parent_id)
        REFERENCES dw.dim_categories (merchant_id, category_id),
    CONSTRAINT dim_categories_not_own_parent CHECK (parent_id <> category_id),
    CONSTRAINT dim_categories_level_matches_parent CHECK ((parent_id IS NULL) = (level = 1)),
    CONSTRAINT dim_categories_level_positive CHECK (level >= 1)
);

CREATE INDEX dim_categories_parent_idx ON dw.dim_categories (merchant_id, parent_id);
CREATE INDEX dim_categories_path_idx ON dw.dim_categories (merchant_id, path text_pattern_ops);

COMMENT ON TABLE dw.dim_categories IS 'A merchant''s product category tree (多级品类): parent_id links a category to its parent, level and path describe its place.';
COMMENT ON COLUMN dw.dim_categories.parent_id IS 'Parent category of the same merchant; NULL for a root (level 1).';
COMMENT ON COLUMN dw.dim_categories.level IS 'Depth in the tree, 1 = root; set by the loader together with parent_id.';
COMMENT ON COLUMN dw.dim_categories.path IS 'Category codes from the root down, separated by ''/'' (e.g. electronics/phones/cases); a prefix match (path LIKE ''electronics/%'') selects a subtree.';

CREATE TRIGGER dim_categories_set_updated_at BEFORE UPDATE ON dw.dim_categories
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

CREATE TABLE dw.dim_products (
    product_id     bigint         GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    merchant_id    bigint         NOT NULL REFERENCES dw.dim_merchants (merchant_id),
    sku            text           NOT NULL,
    product_name   text           NOT NULL,
    category_id    bigint,
    brand          text,
    unit_cost      numeric(18, 4) NOT NULL DEFAULT 0,
    cost_currency  char(3)        NOT NULL DEFAULT 'CNY' REFERENCES dw.dim_currencies (currency_code),
    safety_stock   integer        NOT NULL DEFAULT 0,
    status         text           NOT NULL DEFAULT 'active',
    created_at     timestamptz    NOT NULL DEFAULT now(),
    updated_at     timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT dim_products_merchant_product_unique UNIQUE (merchant_id, product_id),
    CONSTRAINT dim_products_sku_unique UNIQUE (merchant_id, sku),
    CONSTRAINT dim_products_category_fkey FOREIGN KEY (merchant_id, category_id)
        REFERENCES dw.dim_categories (merchant_id, category_id),
    CONSTRAINT dim_products_unit_cost_nonnegative CHECK (unit_cost >= 0),
    CONSTRAINT dim_products_safety_stock_nonnegative CHECK (safety_stock >= 0),
    CONSTRAINT dim_products_status_known CHECK (status IN ('draft', 'active', 'inactive', 'archived'))
);

CREATE INDEX dim_products_category_idx ON dw.dim_products (merchant_id, category_id);
CREATE INDEX dim_products_status_idx ON dw.dim_products (merchant_id, status);
CREATE INDEX dim_products_brand_idx ON dw.dim_products (merchant_id, brand);

COMMENT ON TABLE dw.dim_products IS 'A merchant''s products (master data): SKU, name, category, brand, cost, safety stock, status.';
COMMENT ON COLUMN dw.dim_products.sku IS 'Merchant SKU, unique per merchant (the same SKU may exist at another merchant).';
COMMENT ON COLUMN dw.dim_products.unit_cost IS 'Current cost of one unit in cost_currency (4 decimals: unit costs are often fractions of a cent). Order items keep the cost at the time of sale.';
COMMENT ON COLUMN dw.dim_products.safety_stock IS 'Default safety stock; dw.fact_inventory keeps the per-warehouse value used by low-stock alerts.';
COMMENT ON COLUMN dw.dim_products.status IS 'draft, active, inactive or archived.';

CREATE TRIGGER dim_products_set_updated_at BEFORE UPDATE ON dw.dim_products
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

CREATE TABLE dw.dim_customers (
    customer_id      bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    merchant_id      bigint      NOT NULL REFERENCES dw.dim_merchants (merchant_id),
    customer_code    text        NOT NULL,
    customer_name    text,
    first_order_date date,
    user_level_id    smallint    REFERENCES dw.dim_user_levels (user_level_id),
    region_id        integer     REFERENCES dw.dim_regions (region_id),
    channel_id       smallint    REFERENCES dw.dim_channels (channel_id),
    country_code     char(2),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dim_customers_merchant_customer_unique UNIQUE (merchant_id, customer_id),
    CONSTRAINT dim_customers_code_unique UNIQUE (merchant_id, customer_code)
);

CREATE INDEX dim_customers_first_order_idx ON dw.dim_customers (merchant_id, first_order_date);
CREATE INDEX dim_customers_level_idx ON dw.dim_customers (merchant_id, user_level_id);
CREATE INDEX dim_customers_region_idx ON dw.dim_customers (merchant_id, region_id);

COMMENT ON TABLE dw.dim_customers IS 'A merchant''s customers (buyers), for segments, retention and regional analysis.';
COMMENT ON COLUMN dw.dim_customers.customer_code IS 'The buyer''s identifier from the platform or shop (a platform user id or a hash of the e-mail), unique per merchant. No raw e-mail or phone is stored.';
COMMENT ON COLUMN dw.dim_customers.first_order_date IS 'Day of the customer''s first order at this merchant: new vs returning customers, cohorts.';
COMMENT ON COLUMN dw.dim_customers.channel_id IS 'Channel through which the customer was acquired.';

CREATE TRIGGER dim_customers_set_updated_at BEFORE UPDATE ON dw.dim_customers
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

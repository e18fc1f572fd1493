-- 0020_shop_health_and_rankings: the C-class results shop health (with shop rankings) and
-- product rankings, and config triggers that recompute only the merchants a change touches
-- (docs/business-flows.md, "Shop health score" and "C-class results").
-- requires: 0008_config (dw.cfg_*), 0010_merchant_isolation (ops.enable_merchant_isolation),
--           0012_refresh_registry (ops.enable_view_invalidation, ops.config_changed)
-- The rule that fills these tables lives in sql/functions/ops.recompute_c_class.sql.

------------------------------------------------------------------------------------------------
-- mart.shop_health (C-class): health score, its components and the shop rankings
------------------------------------------------------------------------------------------------
CREATE TABLE mart.shop_health (
    merchant_id           bigint        NOT NULL,
    shop_id               bigint        NOT NULL,
    period_type           text          NOT NULL,
    period_start          date          NOT NULL,
    period_end            date          NOT NULL,
    order_count           bigint        NOT NULL,
    gmv_cny               numeric       NOT NULL,
    gross_profit_cny      numeric       NOT NULL,
    previous_gmv_cny      numeric       NOT NULL,
    sales_growth          numeric,
    sales_growth_score    numeric(5, 2),
    sales_growth_weight   numeric       NOT NULL,
    gross_margin          numeric,
    gross_margin_score    numeric(5, 2),
    gross_margin_weight   numeric       NOT NULL,
    fulfilment_hours      numeric,
    fulfilment_score      numeric(5, 2),
    fulfilment_weight     numeric       NOT NULL,
    return_rate           numeric,
    return_rate_score     numeric(5, 2),
    return_rate_weight    numeric       NOT NULL,
    stock_out_rate        numeric,
    stock_out_score       numeric(5, 2),
    stock_out_weight      numeric       NOT NULL,
    config_id             bigint,
    score                 numeric(5, 2),
    revenue_rank          integer       NOT NULL,
    profit_rank           integer       NOT NULL,
    health_rank           integer,
    computed_at           timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT shop_health_pkey PRIMARY KEY (merchant_id, period_type, period_start, shop_id),
    CONSTRAINT shop_health_period_type_known CHECK (period_type IN ('day', 'week', 'month')),
    CONSTRAINT shop_health_period_ordered CHECK (period_end >= period_start),
    CONSTRAINT shop_health_score_range CHECK (score BETWEEN 0 AND 100)
);

CREATE INDEX shop_health_shop_idx ON mart.shop_health (merchant_id, shop_id, period_type, period_start);

COMMENT ON TABLE mart.shop_health IS 'C-class: per shop and day, ISO week or month (the last 90 days, 26 weeks, 24 months) the health score 0-100 from dw.cfg_performance_configs (config_code shop_health, else the defaults of ops.shop_health_defaults()), each component''s raw value, score and weight, and the shop''s rank by revenue, gross profit and health within its merchant and period. Written by ops.recompute_c_class; rule in docs/business-flows.md (Shop health score).';
COMMENT ON COLUMN mart.shop_health.order_count IS 'Valid orders (dw.is_valid_sale) ordered in the period.';
COMMENT ON COLUMN mart.shop_health.gmv_cny IS 'GMV of the valid orders of the period, CNY: the revenue the revenue rank orders by.';
COMMENT ON COLUMN mart.shop_health.gross_profit_cny IS 'Gross profit of the valid orders of the period, CNY: what the profit rank orders by.';
COMMENT ON COLUMN mart.shop_health.previous_gmv_cny IS 'GMV of the period before (the day, week or month before), CNY.';
COMMENT ON COLUMN mart.shop_health.sales_growth IS '(gmv_cny - previous_gmv_cny) / previous_gmv_cny; NULL when the period before sold nothing.';
COMMENT ON COLUMN mart.shop_health.gross_margin IS 'gross_profit_cny / gmv_cny; NULL without GMV.';
COMMENT ON COLUMN mart.shop_health.fulfilment_hours IS 'Average hours from ordered_at to shipped_at of the period''s orders that shipped; NULL when none did.';
COMMENT ON COLUMN mart.shop_health.return_rate IS 'Refunded or returned orders / orders that are not cancelled; NULL without such orders.';
COMMENT ON COLUMN mart.shop_health.stock_out_rate IS 'Listing-days (dw.fact_product_metrics, listing active or out_of_stock) with stock 0 or out_of_stock / all those listing-days; NULL without listings.';
COMMENT ON COLUMN mart.shop_health.config_id IS 'The dw.cfg_performance_configs row applied (in effect on the period''s last day, or today for the running period); NULL = the defaults.';
COMMENT ON COLUMN mart.shop_health.score IS 'Sum of component score x weight / sum of the weights of the components that have a score; NULL when none has.';
COMMENT ON COLUMN mart.shop_health.revenue_rank IS 'rank() of gmv_cny (largest first) among the merchant''s shops in the period; ties share a rank.';
COMMENT ON COLUMN mart.shop_health.profit_rank IS 'rank() of gross_profit_cny (largest first) among the merchant''s shops in the period.';
COMMENT ON COLUMN mart.shop_health.health_rank IS 'rank() of score (highest first) among the shops of the period that have a score; NULL without a score.';

SELECT ops.enable_merchant_isolation('mart.shop_health');
REVOKE ALL ON mart.shop_health FROM PUBLIC;
GRANT SELECT ON mart.shop_health TO erp_reader;

------------------------------------------------------------------------------------------------
-- mart.product_rankings (C-class)
------------------------------------------------------------------------------------------------
CREATE TABLE mart.product_rankings (
    merchant_id    bigint       NOT NULL,
    period_type    text         NOT NULL,
    period_start   date         NOT NULL,
    period_end     date         NOT NULL,
    product_id     bigint       NOT NULL,
    category_id    bigint,
    units_sold     bigint       NOT NULL,
    revenue_cny    numeric      NOT NULL,
    revenue_rank   integer      NOT NULL,
    units_rank     integer      NOT NULL,
    computed_at    timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT product_rankings_pkey PRIMARY KEY (merchant_id, period_type, period_start, product_id),
    CONSTRAINT product_rankings_period_type_known CHECK (period_type IN ('day', 'week', 'month')),
    CONSTRAINT product_rankings_period_ordered CHECK (period_end >= period_start)
);

CREATE INDEX product_rankings_category_idx ON mart.product_rankings (merchant_id, period_type, period_start, category_id, revenue_rank);

COMMENT ON TABLE mart.product_rankings IS 'C-class: per product that sold in a day, ISO week or month (the last 90 days, 26 weeks, 24 months), its units and revenue over all shops (mart.mv_product_sales_daily) and its rank by revenue and by units within its category (products without a category rank among themselves). Written by ops.recompute_c_class.';
COMMENT ON COLUMN mart.product_rankings.revenue_rank IS 'rank() of revenue_cny (largest first) within the merchant, period and category; ties share a rank.';
COMMENT ON COLUMN mart.product_rankings.units_rank IS 'rank() of units_sold (largest first) within the merchant, period and category.';

SELECT ops.enable_merchant_isolation('mart.product_rankings');
REVOKE ALL ON mart.product_rankings FROM PUBLIC;
GRANT SELECT ON mart.product_rankings TO erp_reader;

------------------------------------------------------------------------------------------------
-- Config triggers that know which merchants changed
------------------------------------------------------------------------------------------------
-- A trigger with transition tables fires for one event only, and TRUNCATE has none: each cfg_*
-- table gets an INSERT, an UPDATE and a DELETE trigger that hand ops.config_changed the changed
-- rows, and a TRUNCATE trigger (every merchant). The one trigger of 0012 goes.
CREATE OR REPLACE FUNCTION ops.enable_view_invalidation(target regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    table_name text;
BEGIN
    SELECT c.relname INTO table_name FROM pg_catalog.pg_class AS c WHERE c.oid = target;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                   WHERE tgrelid = target AND tgname = table_name || '_mark_views_dirty') THEN
        EXECUTE pg_catalog.format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
            'FOR EACH STATEMENT EXECUTE FUNCTION ops.mark_views_dirty()',
            table_name || '_mark_views_dirty', target);
    END IF;
    IF table_name LIKE 'cfg\_%' THEN
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = table_name || '_recompute_insert') THEN
            EXECUTE pg_catalog.format(
                'CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS changed_new '
                'FOR EACH STATEMENT EXECUTE FUNCTION ops.config_changed()', table_name || '_recompute_insert', target);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = table_name || '_recompute_update') THEN
            EXECUTE pg_catalog.format(
                'CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new '
                'FOR EACH STATEMENT EXECUTE FUNCTION ops.config_changed()', table_name || '_recompute_update', target);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = table_name || '_recompute_delete') THEN
            EXECUTE pg_catalog.format(
                'CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS changed_old '
                'FOR EACH STATEMENT EXECUTE FUNCTION ops.config_changed()', table_name || '_recompute_delete', target);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = table_name || '_recompute_truncate') THEN
            EXECUTE pg_catalog.format(
                'CREATE TRIGGER %I AFTER TRUNCATE ON %s '
                'FOR EACH STATEMENT EXECUTE FUNCTION ops.config_changed()', table_name || '_recompute_truncate', target);
        END IF;
    END IF;
END
$$;

COMMENT ON FUNCTION ops.enable_view_invalidation(regclass) IS
    'Attaches the statement trigger <table>_mark_views_dirty and, for cfg_* tables, <table>_recompute_insert/_update/_delete (with transition tables: the merchants changed) and _truncate (every merchant). Idempotent. Every migration that adds a dw table calls it.';
REVOKE EXECUTE ON FUNCTION ops.enable_view_invalidation(regclass) FROM PUBLIC;

DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN
        SELECT c.oid::regclass
        FROM pg_catalog.pg_class AS c
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'dw' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname LIKE 'cfg\_%'
        ORDER BY c.relname
    LOOP
        EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS %I ON %s',
                                  (SELECT c.relname FROM pg_catalog.pg_class AS c WHERE c.oid = t) || '_recompute_c_class', t);
        PERFORM ops.enable_view_invalidation(t);
    END LOOP;
END
$$;

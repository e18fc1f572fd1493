-- ops.shop_health_defaults: the default weights and thresholds of the shop health score, used for
-- every component a merchant's dw.cfg_performance_configs row (config_code shop_health) leaves out.
-- requires: nothing
-- The rule is documented in docs/business-flows.md (Shop health score); change both together.

CREATE OR REPLACE FUNCTION ops.shop_health_defaults()
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT '{
        "weights": {"sales_growth": 0.25, "gross_margin": 0.25, "fulfilment_hours": 0.20,
                    "return_rate": 0.15, "stock_out_rate": 0.15},
        "thresholds": {"sales_growth": {"good": 0.20, "bad": -0.20},
                       "gross_margin": {"good": 0.40, "bad": 0.10},
                       "fulfilment_hours": {"good": 24, "bad": 72},
                       "return_rate": {"good": 0.02, "bad": 0.10},
                       "stock_out_rate": {"good": 0.02, "bad": 0.20}}
    }'::jsonb
$$;

COMMENT ON FUNCTION ops.shop_health_defaults() IS
    'Default configuration of the shop health score: {"weights": {component: weight}, "thresholds": {component: {"good": value scoring 100, "bad": value scoring 0}}} for sales_growth, gross_margin, fulfilment_hours, return_rate and stock_out_rate (docs/business-flows.md).';
REVOKE EXECUTE ON FUNCTION ops.shop_health_defaults() FROM PUBLIC;

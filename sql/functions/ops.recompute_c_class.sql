-- ops.recompute_c_class: recomputes the C-class results (mart.target_achievement,
-- mart.campaign_results, mart.shop_health with the shop rankings, mart.product_rankings) in full,
-- for every merchant or only the merchants given (ops.compute_c_class holds the computation).
-- requires: ops.compute_c_class
-- Called by ops.refresh_all (every merchant) and by the statement triggers on every dw.cfg_*
-- table (ops.config_changed: the merchants of the changed rows). The due refresh calls
-- ops.recompute_changed_c_class instead (only what changed; docs/c-class-recompute.md). A failure
-- is logged in ops.mv_refresh_log, never raised, so a config write or a refresh run is not undone
-- by it.
-- Signature changed in 0020 (merchant_ids added): the old one is dropped first, see
-- docs/migrations.md (changing a function's signature).

DROP FUNCTION IF EXISTS ops.recompute_c_class(text);

CREATE OR REPLACE FUNCTION ops.recompute_c_class(refresh_trigger text DEFAULT 'manual', merchant_ids bigint[] DEFAULT NULL)
RETURNS ops.mv_refresh_log
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT ops.compute_c_class(refresh_trigger, merchant_ids, false)
$$;

COMMENT ON FUNCTION ops.recompute_c_class(text, bigint[]) IS
    'Recomputes mart.target_achievement (each dw.cfg_sales_targets row against mart.mv_daily_sales / mart.mv_customer_segments), mart.campaign_results (each dw.cfg_sales_campaigns row: GMV against target, ROI = (gross profit - budget) / budget), mart.shop_health (health score, components, shop ranks) and mart.product_rankings in full, for every merchant (merchant_ids NULL) or only merchant_ids, and logs it in ops.mv_refresh_log. Returns the log row (NULL while the views do not exist); a failure is logged, not raised.';
REVOKE EXECUTE ON FUNCTION ops.recompute_c_class(text, bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.recompute_c_class(text, bigint[]) TO erp_writer;

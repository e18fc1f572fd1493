-- 0019_alerts_and_results: what the scheduled checks, the alerts and the C-class results need:
-- a slow-refresh limit per view with the trigger that raises view alerts, the reader view of
-- alerts, and the result table of campaigns (docs/business-flows.md).
-- requires: 0012_refresh_registry (ops.mv_registry), 0017_business_flows (dw.alerts),
--           0010_merchant_isolation (ops.enable_merchant_isolation, ops.current_merchant_id)

------------------------------------------------------------------------------------------------
-- ops.mv_registry.slow_after and the view alerts
------------------------------------------------------------------------------------------------
ALTER TABLE ops.mv_registry
    ADD COLUMN slow_after interval NOT NULL DEFAULT '5 minutes',
    ADD CONSTRAINT mv_registry_slow_after_positive CHECK (slow_after > interval '0');

COMMENT ON COLUMN ops.mv_registry.slow_after IS 'A successful refresh that took longer than this raises a slow_refresh alert (resolved by the next refresh within it). Default 5 minutes.';

CREATE FUNCTION ops.raise_view_alerts()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- view_failing: three or more refreshes in a row failed; resolved by the next success.
    IF NEW.consecutive_failures >= 3 THEN
        INSERT INTO dw.alerts AS a (kind, merchant_id, subject, details)
        VALUES ('view_failing', NULL, NEW.view_name,
                jsonb_build_object('consecutive_failures', NEW.consecutive_failures))
        ON CONFLICT (kind, merchant_id, subject) WHERE resolved_at IS NULL DO UPDATE
            SET details = EXCLUDED.details
            WHERE a.details IS DISTINCT FROM EXCLUDED.details;
    ELSE
        UPDATE dw.alerts AS a SET resolved_at = greatest(now(), a.raised_at)
        WHERE a.kind = 'view_failing' AND a.merchant_id IS NULL AND a.subject = NEW.view_name AND a.resolved_at IS NULL;
    END IF;

    -- slow_refresh: the last successful refresh took longer than slow_after.
    IF NEW.last_duration_ms IS NOT NULL AND NEW.last_duration_ms > EXTRACT(epoch FROM NEW.slow_after) * 1000 THEN
        INSERT INTO dw.alerts AS a (kind, merchant_id, subject, details)
        VALUES ('slow_refresh', NULL, NEW.view_name,
                jsonb_build_object('duration_ms', NEW.last_duration_ms, 'slow_after', NEW.slow_after::text))
        ON CONFLICT (kind, merchant_id, subject) WHERE resolved_at IS NULL DO UPDATE
            SET details = EXCLUDED.details
            WHERE a.details IS DISTINCT FROM EXCLUDED.details;
    ELSE
        UPDATE dw.alerts AS a SET resolved_at = greatest(now(), a.raised_at)
        WHERE a.kind = 'slow_refresh' AND a.merchant_id IS NULL AND a.subject = NEW.view_name AND a.resolved_at IS NULL;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.raise_view_alerts() IS
    'AFTER UPDATE trigger on ops.mv_registry: raises a view_failing alert at 3 consecutive failures and a slow_refresh alert when the last successful refresh took longer than slow_after; resolves them when the condition ends.';
REVOKE EXECUTE ON FUNCTION ops.raise_view_alerts() FROM PUBLIC;

CREATE TRIGGER mv_registry_raise_view_alerts AFTER UPDATE ON ops.mv_registry
    FOR EACH ROW
    WHEN (OLD.consecutive_failures IS DISTINCT FROM NEW.consecutive_failures
          OR OLD.last_duration_ms IS DISTINCT FROM NEW.last_duration_ms
          OR OLD.slow_after IS DISTINCT FROM NEW.slow_after)
    EXECUTE FUNCTION ops.raise_view_alerts();

------------------------------------------------------------------------------------------------
-- mart.alerts: the reader view of dw.alerts
------------------------------------------------------------------------------------------------
CREATE VIEW mart.alerts WITH (security_barrier) AS
    SELECT a.alert_id, a.kind, a.merchant_id, a.subject, a.raised_at, a.resolved_at, a.details
    FROM dw.alerts AS a
    WHERE a.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON VIEW mart.alerts IS 'Reader view of dw.alerts: the alerts of the transaction''s merchant (alerts about views, merchant NULL, are for DBAs: erpdb doctor and ops).';
REVOKE ALL ON mart.alerts FROM PUBLIC;
GRANT SELECT ON mart.alerts TO erp_reader;

------------------------------------------------------------------------------------------------
-- mart.campaign_results (C-class)
------------------------------------------------------------------------------------------------
CREATE TABLE mart.campaign_results (
    merchant_id        bigint         NOT NULL,
    campaign_id        bigint         NOT NULL,
    campaign_code      text           NOT NULL,
    campaign_name      text           NOT NULL,
    start_date         date           NOT NULL,
    end_date           date           NOT NULL,
    target_gmv_cny     numeric(18, 2),
    budget_cny         numeric(18, 2),
    gmv_cny            numeric        NOT NULL,
    gross_profit_cny   numeric        NOT NULL,
    order_count        bigint         NOT NULL,
    achievement_rate   numeric,
    roi                numeric,
    computed_at        timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT campaign_results_pkey PRIMARY KEY (merchant_id, campaign_id)
);

COMMENT ON TABLE mart.campaign_results IS 'C-class: each campaign of dw.cfg_sales_campaigns with its sales in its window and scope: achievement = GMV / target GMV, ROI = (gross profit - budget) / budget. Written by ops.recompute_c_class.';
COMMENT ON COLUMN mart.campaign_results.achievement_rate IS 'gmv_cny / target_gmv_cny; NULL without a positive target.';
COMMENT ON COLUMN mart.campaign_results.roi IS '(gross_profit_cny - budget_cny) / budget_cny; NULL without a positive budget.';

SELECT ops.enable_merchant_isolation('mart.campaign_results');
REVOKE ALL ON mart.campaign_results FROM PUBLIC;
GRANT SELECT ON mart.campaign_results TO erp_reader;

-- dw.resolve_receivable_alerts: resolves the open overdue_receivable alerts whose receivable is
-- no longer overdue (paid, cancelled, written off, or gone).
-- requires: dw.alerts (0017_business_flows), dw.fact_accounts_receivable
-- Called by the overdue check and by dw.settle_receivables (a payment resolves at once).

CREATE OR REPLACE FUNCTION dw.resolve_receivable_alerts(merchant bigint DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    resolved integer;
BEGIN
    UPDATE dw.alerts AS a
    SET resolved_at = greatest(now(), a.raised_at)
    WHERE a.kind = 'overdue_receivable' AND a.resolved_at IS NULL
      AND (merchant IS NULL OR a.merchant_id = merchant)
      AND NOT EXISTS (
          SELECT 1 FROM dw.fact_accounts_receivable AS r
          WHERE r.merchant_id = a.merchant_id AND r.receivable_id = (a.details ->> 'receivable_id')::bigint
            AND r.status = 'overdue');
    GET DIAGNOSTICS resolved = ROW_COUNT;
    RETURN resolved;
END
$$;

COMMENT ON FUNCTION dw.resolve_receivable_alerts(bigint) IS
    'Resolves the open overdue_receivable alerts (of one merchant, or all) whose receivable is no longer overdue. Returns the alerts resolved.';
REVOKE EXECUTE ON FUNCTION dw.resolve_receivable_alerts(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.resolve_receivable_alerts(bigint) TO erp_writer;

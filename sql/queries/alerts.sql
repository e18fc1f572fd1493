-- alerts: the scoped merchant's alerts (low stock, out of stock, stock shortage, overdue
-- receivable): counts over the filter, then a page, open ones first, newest first, then the counts per kind.
-- reads: mart.alerts (reader view of dw.alerts, sql/migrations/0019_alerts_and_results.sql)
-- parameters: :open (boolean: true = only open alerts), :kinds (text[] of kinds, NULL = every kind),
--             :limit, :offset (integers)
-- run: see docs/queries.md
SELECT count(*) AS total, count(*) FILTER (WHERE resolved_at IS NULL) AS open
  FROM mart.alerts
 WHERE (NOT :open::boolean OR resolved_at IS NULL)
   AND (:kinds::text[] IS NULL OR kind = ANY(:kinds::text[]));
SELECT alert_id AS alertid, kind, subject, merchant_id AS merchantid, raised_at AS raisedat, resolved_at AS resolvedat,
       details::text AS details
  FROM mart.alerts
 WHERE (NOT :open::boolean OR resolved_at IS NULL)
   AND (:kinds::text[] IS NULL OR kind = ANY(:kinds::text[]))
 ORDER BY resolved_at IS NULL DESC, raised_at DESC, alert_id DESC
 LIMIT :limit OFFSET :offset;
SELECT kind, count(*) AS total, count(*) FILTER (WHERE resolved_at IS NULL) AS open
  FROM mart.alerts
 WHERE (NOT :open::boolean OR resolved_at IS NULL)
   AND (:kinds::text[] IS NULL OR kind = ANY(:kinds::text[]))
 GROUP BY kind
 ORDER BY kind;

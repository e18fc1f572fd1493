-- profit_campaigns: the merchant's campaigns that overlap [:start, :end], oldest first, with their
-- GMV, gross profit, budget and ROI as mart.campaign_results computes them after each refresh
-- (roi = (gross profit - budget) / budget, null without a positive budget; docs/business-flows.md).
-- reads: mart.campaigns
-- parameters: :start, :end (dates)
-- run: see docs/queries.md
SELECT campaign_id AS campaignid, campaign_code AS code, campaign_name AS name, start_date AS start, end_date AS "end",
       budget_cny AS budget, gmv_cny AS revenue, gross_profit_cny AS grossprofit, roi
  FROM mart.campaigns
 WHERE start_date <= :end::date AND end_date >= :start::date
 ORDER BY start_date, campaign_id;

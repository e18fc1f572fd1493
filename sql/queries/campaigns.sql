-- campaigns: the scoped merchant's campaigns with GMV against target and ROI (C-class results,
-- recomputed after each due refresh and on every change of the campaigns), totals, then a page,
-- latest start first.
-- reads: mart.campaigns (reader view of mart.campaign_results, sql/migrations/0021_list_reader_views.sql),
--        dw.dim_platforms (the code of the platform a campaign is limited to)
-- parameters: :limit, :offset (integers)
-- run: see docs/queries.md
SELECT count(*) AS count, coalesce(sum(target_gmv_cny), 0) AS targetrevenue, coalesce(sum(gmv_cny), 0) AS revenue,
       coalesce(sum(budget_cny), 0) AS budget, coalesce(sum(gross_profit_cny), 0) AS grossprofit
  FROM mart.campaigns;
SELECT c.campaign_id AS campaignid, c.campaign_code AS code, c.campaign_name AS name, c.campaign_type AS type,
       c.campaign_status AS status, c.shop_id AS shopid, c.shop_name AS shopname, p.platform_code AS platform,
       c.start_date AS start, c.end_date AS "end", c.target_gmv_cny AS targetrevenue, c.gmv_cny AS revenue,
       c.achievement_rate AS achievementrate, c.budget_cny AS budget, c.gross_profit_cny AS grossprofit, c.roi,
       c.order_count AS orders, c.computed_at AS computedat
  FROM mart.campaigns AS c
  LEFT JOIN dw.dim_platforms AS p ON p.platform_id = c.platform_id
 ORDER BY c.start_date DESC, c.campaign_id
 LIMIT :limit OFFSET :offset;

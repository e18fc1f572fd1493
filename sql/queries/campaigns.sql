-- campaigns: the scoped merchant's campaigns with GMV against target and ROI (C-class results,
-- recomputed after each due refresh and on every change of the campaigns), totals, then a page,
-- latest start first.
-- reads: mart.campaigns (reader view of mart.campaign_results, sql/migrations/0021_list_reader_views.sql)
-- parameters: :limit, :offset (integers)
-- run: see docs/queries.md
SELECT count(*) AS count, coalesce(sum(target_gmv_cny), 0) AS targetgmvcny, coalesce(sum(gmv_cny), 0) AS gmvcny,
       coalesce(sum(budget_cny), 0) AS budgetcny, coalesce(sum(gross_profit_cny), 0) AS grossprofitcny
  FROM mart.campaigns;
SELECT campaign_id AS campaignid, campaign_code AS code, campaign_name AS name, campaign_type AS type,
       campaign_status AS status, shop_id AS shopid, shop_name AS shopname, start_date AS startdate, end_date AS enddate,
       target_gmv_cny AS targetgmvcny, gmv_cny AS gmvcny, achievement_rate AS achievementrate, budget_cny AS budgetcny,
       gross_profit_cny AS grossprofitcny, roi, order_count AS ordercount, computed_at AS computedat
  FROM mart.campaigns
 ORDER BY start_date DESC, campaign_id
 LIMIT :limit OFFSET :offset;

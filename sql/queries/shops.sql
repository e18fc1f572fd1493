-- shops: the scoped merchant's shops in one day, ISO week or month with their health score, its
-- components and their ranks by health, revenue and gross profit; a page, then the total count and the period compared with.
-- reads: mart.shop_health (a C-class result table, written by ops.recompute_c_class; the rule is in
--        docs/business-flows.md, Shop health score), dw.dim_shops, dw.dim_platforms
-- parameters: :period_type ('day', 'week' or 'month'), :period_start (date, the period's first day),
--             :limit, :offset (integers); :sort (an ORDER BY expression from the closed list in
--             ShopSql.cs, e.g. h.revenue_rank; substituted as text, never a user value)
-- The merchant filter repeats what row level security enforces for readers: the owner (and a
-- superuser) bypass RLS, and the scope still has to apply to them.
-- run: see docs/queries.md
SELECT h.shop_id AS shopid, s.shop_name AS shopname, p.platform_code AS platform, h.score, h.health_rank AS healthrank,
       h.revenue_rank AS revenuerank, h.profit_rank AS profitrank, h.order_count AS orders, h.gmv_cny AS revenue,
       h.gross_profit_cny AS grossprofit, h.previous_gmv_cny AS previousrevenue,
       h.sales_growth AS salesgrowth, h.sales_growth_score AS salesgrowthscore, h.sales_growth_weight AS salesgrowthweight,
       h.gross_margin AS grossmargin, h.gross_margin_score AS grossmarginscore, h.gross_margin_weight AS grossmarginweight,
       h.fulfilment_hours AS fulfilmenthours, h.fulfilment_score AS fulfilmentscore, h.fulfilment_weight AS fulfilmentweight,
       h.return_rate AS returnrate, h.return_rate_score AS returnratescore, h.return_rate_weight AS returnrateweight,
       h.stock_out_rate AS stockoutrate, h.stock_out_score AS stockoutscore, h.stock_out_weight AS stockoutweight,
       h.config_id AS configid, h.computed_at AS computedat
  FROM mart.shop_health AS h
  JOIN dw.dim_shops AS s ON s.merchant_id = h.merchant_id AND s.shop_id = h.shop_id
  JOIN dw.dim_platforms AS p ON p.platform_id = s.platform_id
 WHERE h.merchant_id = (SELECT ops.current_merchant_id())
   AND h.period_type = :period_type::text AND h.period_start = :period_start::date
 ORDER BY :sort, h.shop_id
 LIMIT :limit OFFSET :offset;
-- The count, and what the period's sales growth compares with (every shop of a merchant's period is computed by one run):
-- previousthrough is set when the period included today when computed (its last day cut at that run's time of day).
SELECT count(*) AS total, min(h.previous_start) AS previousstart, max(h.previous_end) AS previousend,
       max(h.previous_through) AS previousthrough
  FROM mart.shop_health AS h
 WHERE h.merchant_id = (SELECT ops.current_merchant_id())
   AND h.period_type = :period_type::text AND h.period_start = :period_start::date;

-- targets: the scoped merchant's sales targets with their achievement (C-class results,
-- recomputed after each due refresh and on every change of the targets), latest period first,
-- then the total count.
-- reads: mart.targets (reader view of mart.target_achievement, sql/migrations/0021_list_reader_views.sql)
-- parameters: :limit, :offset (integers)
-- run: see docs/queries.md
SELECT target_id AS targetid, shop_id AS shopid, shop_name AS shopname, metric, period_type AS periodtype,
       period_start AS start, period_end AS "end", target_value AS targetvalue, actual_value AS actualvalue,
       achievement_rate AS achievementrate, elapsed_share AS elapsedshare, status, computed_at AS computedat
  FROM mart.targets
 ORDER BY period_end DESC, period_start DESC, target_id
 LIMIT :limit OFFSET :offset;
SELECT count(*) FROM mart.targets;

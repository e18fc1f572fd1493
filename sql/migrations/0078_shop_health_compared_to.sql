-- 0078_shop_health_compared_to: what each mart.shop_health row's sales growth compares with, so that a
-- result computed while its period was running says so (docs/c-class-recompute.md, "Periods that include today").
-- requires: 0020_shop_health_and_rankings (mart.shop_health)
-- Rows written before this migration get the whole period before, what they were compared with, except the
-- running week or month of their day (its same days): the next recompute writes those (the first due refresh
-- of a day recomputes every period).

ALTER TABLE mart.shop_health
    ADD COLUMN previous_start   date,
    ADD COLUMN previous_end     date,
    ADD COLUMN previous_through timestamp;

UPDATE mart.shop_health
   SET previous_start = (period_start - CASE period_type WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '1 week'
                                                         ELSE interval '1 month' END)::date,
       previous_end = period_start - 1;

COMMENT ON COLUMN mart.shop_health.previous_gmv_cny IS 'GMV of the period compared with (previous_start..previous_end, its last day only up to previous_through when set), CNY.';
COMMENT ON COLUMN mart.shop_health.previous_start IS 'First day of the period sales_growth compares with: the day, ISO week or month before.';
COMMENT ON COLUMN mart.shop_health.previous_end IS 'Last day of the period compared with: the period before''s last day, or, while the period ran when computed (it included that day''s CURRENT_DATE), today''s counterpart (yesterday; the same weekday last week; the same day last month).';
COMMENT ON COLUMN mart.shop_health.previous_through IS 'Set when the period included today when computed: the local time (dw.dim_merchants.timezone) up to which previous_end counted, the time of day of computed_at (mart.day_cut; its hours before whole, that hour prorated by minutes). NULL: every day compared counts whole.';

ALTER TABLE mart.shop_health
    ALTER COLUMN previous_start SET NOT NULL,
    ALTER COLUMN previous_end SET NOT NULL;

-- mart.minutes_counted: of an hour of the day (0-23, as in mart.mv_hourly_sales.sales_hour), how
-- many minutes count when the day is cut at through (mart.day_cut): 60 for the hours before
-- through's hour, through's minutes for its own hour (its sales taken as spread evenly over it),
-- 0 after. A day's sales up to through: round(sum(gmv_cny * mart.minutes_counted(sales_hour, through)) / 60, 2)
-- over its hours (one division of an exact sum, so the figure does not depend on how the hours are grouped).
-- requires: nothing
-- A single SELECT in LANGUAGE sql, IMMUTABLE, so the planner inlines it; it reads no table.

CREATE OR REPLACE FUNCTION mart.minutes_counted(sales_hour integer, through time)
RETURNS integer
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE WHEN sales_hour < extract(hour FROM through) THEN 60
                WHEN sales_hour = extract(hour FROM through) THEN extract(minute FROM through)::integer
                ELSE 0 END
$$;

COMMENT ON FUNCTION mart.minutes_counted(integer, time) IS
    'Minutes of the hour sales_hour (0-23) that count when its day is cut at through (mart.day_cut): 60 before through''s hour, through''s minutes in it, 0 after; a day''s GMV up to through is round(sum(gmv_cny * minutes) / 60, 2). Reads no table.';
REVOKE EXECUTE ON FUNCTION mart.minutes_counted(integer, time) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mart.minutes_counted(integer, time) TO erp_reader, erp_writer;

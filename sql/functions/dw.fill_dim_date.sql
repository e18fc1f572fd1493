-- dw.fill_dim_date: fills dw.dim_date for a range of days (the seeder and imports call it).
-- requires: dw.dim_date (0004_dimensions)
-- First created by 0004_dimensions; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

CREATE OR REPLACE FUNCTION dw.fill_dim_date(from_date date, to_date date)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    affected integer;
BEGIN
    IF from_date IS NULL OR to_date IS NULL OR to_date < from_date THEN
        RAISE EXCEPTION 'dw.fill_dim_date: invalid range % .. %', from_date, to_date
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- Idempotent: calendar attributes are (re)computed, holiday flags are kept.
    INSERT INTO dw.dim_date AS d (
        calendar_date, date_key, year, quarter, month, month_name, day_of_month, day_of_year,
        iso_year, iso_week, day_of_week, day_name, is_weekend, week_start, month_start, quarter_start)
    SELECT g.day,
           (extract(year FROM g.day) * 10000 + extract(month FROM g.day) * 100 + extract(day FROM g.day))::integer,
           extract(year FROM g.day)::smallint,
           extract(quarter FROM g.day)::smallint,
           extract(month FROM g.day)::smallint,
           trim(to_char(g.day, 'Month')),
           extract(day FROM g.day)::smallint,
           extract(doy FROM g.day)::smallint,
           extract(isoyear FROM g.day)::smallint,
           extract(week FROM g.day)::smallint,
           extract(isodow FROM g.day)::smallint,
           trim(to_char(g.day, 'Day')),
           extract(isodow FROM g.day) IN (6, 7),
           date_trunc('week', g.day)::date,
           date_trunc('month', g.day)::date,
           date_trunc('quarter', g.day)::date
    FROM pg_catalog.generate_series(from_date::timestamp, to_date::timestamp, interval '1 day') AS s(ts)
    CROSS JOIN LATERAL (SELECT s.ts::date) AS g(day)
    ON CONFLICT (calendar_date) DO UPDATE
        SET date_key = EXCLUDED.date_key,
            year = EXCLUDED.year,
            quarter = EXCLUDED.quarter,
            month = EXCLUDED.month,
            month_name = EXCLUDED.month_name,
            day_of_month = EXCLUDED.day_of_month,
            day_of_year = EXCLUDED.day_of_year,
            iso_year = EXCLUDED.iso_year,
            iso_week = EXCLUDED.iso_week,
            day_of_week = EXCLUDED.day_of_week,
            day_name = EXCLUDED.day_name,
            is_weekend = EXCLUDED.is_weekend,
            week_start = EXCLUDED.week_start,
            month_start = EXCLUDED.month_start,
            quarter_start = EXCLUDED.quarter_start
        WHERE (d.date_key, d.iso_week, d.week_start) IS DISTINCT FROM
              (EXCLUDED.date_key, EXCLUDED.iso_week, EXCLUDED.week_start);
    GET DIAGNOSTICS affected = ROW_COUNT;
    RETURN affected;
END
$$;

COMMENT ON FUNCTION dw.fill_dim_date(date, date) IS
    'Fills dw.dim_date for every day of [from_date, to_date]; idempotent (recomputes calendar columns, keeps holiday flags). Returns rows inserted or changed.';
REVOKE EXECUTE ON FUNCTION dw.fill_dim_date(date, date) FROM PUBLIC;

-- mart.rate: the one rule for a rate: part / whole rounded to 6 decimal places, NULL when whole is 0 or NULL.
-- requires: nothing
-- A rate is a fraction (0.060606 = 6.0606%): margins, growth, the changes of trends, funnel conversion,
-- retention, repeat rate, expense ROI. Every query file that returns one computes it here, so that every
-- command states a rate with the same precision (docs/metrics.md, "Rates"). Money is rounded to 2 places
-- where it is summed; a rate is never rounded from rounded parts it could take unrounded.
-- A single SELECT in LANGUAGE sql, IMMUTABLE, without SET, STRICT or SECURITY DEFINER, so the planner
-- inlines it into the calling query (no function call per row); it reads no table, so readers may call it.

CREATE OR REPLACE FUNCTION mart.rate(part numeric, whole numeric)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT round(part / nullif(whole, 0), 6)
$$;

COMMENT ON FUNCTION mart.rate(numeric, numeric) IS
    'A rate: part / whole rounded to 6 decimal places, NULL when whole is 0 or NULL. The one rounding rule of every rate the query files return (margins, growth, changes, conversion, retention). Reads no table.';
REVOKE EXECUTE ON FUNCTION mart.rate(numeric, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mart.rate(numeric, numeric) TO erp_reader, erp_writer;

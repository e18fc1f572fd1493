-- mart.aov: the one rule for an average order value: revenue / orders in CNY, rounded to 2 places;
-- NULL without orders (there is no average of nothing, so never 0).
-- requires: nothing
-- Every query file that returns an AOV (sales totals and breakdowns, trends, the report) computes it
-- here, so that every command answers the same for a bucket, group or period without orders
-- (docs/metrics.md, "Average order value").
-- A single SELECT in LANGUAGE sql, IMMUTABLE, without SET, STRICT or SECURITY DEFINER, so the planner
-- inlines it into the calling query; it reads no table, so readers may call it.

CREATE OR REPLACE FUNCTION mart.aov(revenue numeric, orders numeric)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT round(revenue / nullif(orders, 0), 2)
$$;

COMMENT ON FUNCTION mart.aov(numeric, numeric) IS
    'Average order value: revenue / orders rounded to 2 places, NULL without orders (never 0). The one rule of every AOV the query files return. Reads no table.';
REVOKE EXECUTE ON FUNCTION mart.aov(numeric, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mart.aov(numeric, numeric) TO erp_reader, erp_writer;

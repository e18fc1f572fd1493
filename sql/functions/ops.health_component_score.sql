-- ops.health_component_score: maps one health component's raw value to 0-100 against its band.
-- requires: nothing
-- The band is {"good": g, "bad": b}: a value at or beyond g scores 100, at or beyond b scores 0,
-- linear in between; g > b means higher is better, g < b lower is better. NULL (component left
-- out of the score) when the value or the band is missing, or g = b.

CREATE OR REPLACE FUNCTION ops.health_component_score(raw_value numeric, band jsonb)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE
               WHEN raw_value IS NULL OR coalesce(jsonb_typeof(band -> 'good'), '') <> 'number'
                    OR coalesce(jsonb_typeof(band -> 'bad'), '') <> 'number'
                    OR (band ->> 'good')::numeric = (band ->> 'bad')::numeric THEN NULL
               ELSE round(greatest(0, least(100, 100 * (raw_value - (band ->> 'bad')::numeric)
                                                / ((band ->> 'good')::numeric - (band ->> 'bad')::numeric))), 2)
           END
$$;

COMMENT ON FUNCTION ops.health_component_score(numeric, jsonb) IS
    'Score 0-100 of a health component: 100 at or beyond band.good, 0 at or beyond band.bad, linear in between (rounded to 2 places); NULL when the value or the band is missing or good = bad.';
REVOKE EXECUTE ON FUNCTION ops.health_component_score(numeric, jsonb) FROM PUBLIC;

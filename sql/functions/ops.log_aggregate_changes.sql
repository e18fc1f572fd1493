-- ops.log_aggregate_changes: statement trigger that logs the (merchant, day) ranges a write changed in
-- ops.agg_invalidations, for every incremental aggregate reading the table (docs/refresh.md).
-- requires: ops.mv_registry, ops.agg_invalidations (0027_incremental_aggregates)
-- First created by 0027_incremental_aggregates; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).

CREATE OR REPLACE FUNCTION ops.log_aggregate_changes()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    source      text := pg_catalog.format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
    day_column  text := coalesce(TG_ARGV[0], '');
    targets     text[];
    changed_sql text;
BEGIN
    SELECT pg_catalog.array_agg(r.view_name ORDER BY r.view_name) INTO targets
    FROM ops.mv_registry AS r
    WHERE r.view_kind = 'incremental' AND source = ANY (r.reads)
      AND r.bucket_width <> 'product';  -- those log products (ops.log_product_changes)
    IF targets IS NULL THEN
        RETURN NULL;
    END IF;

    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
        SELECT t.view_name, NULL, '-infinity', 'infinity', source FROM pg_catalog.unnest(targets) AS t (view_name);
        RETURN NULL;
    END IF;

    IF day_column <> '' THEN
        -- A fact: the (merchant, day) pairs of the changed rows, old and new, as runs of days.
        changed_sql := CASE TG_OP
            WHEN 'INSERT' THEN pg_catalog.format('SELECT merchant_id, %I AS day FROM new_rows', day_column)
            WHEN 'DELETE' THEN pg_catalog.format('SELECT merchant_id, %I AS day FROM old_rows', day_column)
            ELSE pg_catalog.format('SELECT merchant_id, %1$I AS day FROM new_rows UNION SELECT merchant_id, %1$I FROM old_rows', day_column)
        END;
        EXECUTE pg_catalog.format($sql$
            INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
            SELECT t.view_name, r.merchant_id, r.first_day, r.last_day, $2
            FROM (SELECT d.merchant_id, pg_catalog.min(d.day) AS first_day, pg_catalog.max(d.day) AS last_day
                  FROM (SELECT c.merchant_id, c.day,
                               c.day - (pg_catalog.dense_rank() OVER (PARTITION BY c.merchant_id ORDER BY c.day))::integer AS run
                        FROM (%s) AS c
                        GROUP BY c.merchant_id, c.day) AS d
                  GROUP BY d.merchant_id, d.run) AS r
            CROSS JOIN pg_catalog.unnest($1) AS t (view_name)
            $sql$, changed_sql) USING targets, source;
    ELSIF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- A dimension: every day of the merchants whose rows really changed (an upsert that
        -- rewrites a row unchanged logs nothing); a table without merchant_id means every merchant.
        -- An INSERT logs nothing: no fact can name a row before it exists.
        changed_sql := CASE TG_OP
            WHEN 'DELETE' THEN 'SELECT pg_catalog.to_jsonb(o) AS j FROM old_rows AS o'
            ELSE 'SELECT pg_catalog.to_jsonb(n) - ''updated_at'' AS j FROM new_rows AS n
                  EXCEPT SELECT pg_catalog.to_jsonb(o) - ''updated_at'' FROM old_rows AS o'
        END;
        EXECUTE pg_catalog.format($sql$
            INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
            SELECT t.view_name, m.merchant_id, '-infinity', 'infinity', $2
            FROM (SELECT DISTINCT (c.j ->> 'merchant_id')::bigint AS merchant_id FROM (%s) AS c) AS m
            CROSS JOIN pg_catalog.unnest($1) AS t (view_name)
            $sql$, changed_sql) USING targets, source;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.log_aggregate_changes() IS
    'AFTER ... FOR EACH STATEMENT trigger (with transition tables new_rows/old_rows) on the tables incremental aggregates read: logs the changed (merchant, day) ranges in ops.agg_invalidations for every incremental aggregate reading the table. TG_ARGV[0] names the day column of a fact; without it (a dimension) an UPDATE or DELETE logs every day of the merchants whose rows changed. TRUNCATE logs everything.';
REVOKE EXECUTE ON FUNCTION ops.log_aggregate_changes() FROM PUBLIC;

-- ops.log_product_changes: statement trigger that logs the (merchant, product) pairs a write changed
-- in ops.agg_product_invalidations, for every per-product incremental aggregate reading the table
-- (bucket width product, e.g. mart.mv_inventory_summary; docs/refresh.md).
-- requires: ops.mv_registry, ops.agg_product_invalidations (0035_incremental_finance_inventory, 0041_product_sales_days)
-- First created by 0035_incremental_finance_inventory; this file is its live definition.
-- Same signature only: see docs/migrations.md (changing a function's signature).
-- TG_ARGV[0]: how a changed row names products: 'product' (the row has merchant_id, product_id),
-- 'order' (an order: the products of its lines), 'category' (the products in the category).
-- TG_ARGV[1]: a day column ('' for none); rows dated before the earliest start of a 30-day window
-- a refresh can still use (the aggregates' as_of_date, or today, minus 30) are left out: they are
-- in no window now or later, and a window that moves is the date_moved_function's business.
-- Entries from a table with a day carry the rows' day (sales_day, 0041), so that the refresh can
-- leave those dated today or later in the log until the window reaches them.
-- An UPDATE logs only rows that really changed (an upsert rewriting a row unchanged logs nothing);
-- a TRUNCATE logs every product of every merchant.

CREATE OR REPLACE FUNCTION ops.log_product_changes()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    source      text := pg_catalog.format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
    kind        text := TG_ARGV[0];
    day_column  text := coalesce(TG_ARGV[1], '');
    targets     text[];
    since       date;
    rows_sql    text;
    dated       text;
    keys_sql    text;
    day_sql     text;
    merchants   bigint[];
    orders      bigint[];
    first_day   date;
    last_day    date;
BEGIN
    SELECT pg_catalog.array_agg(r.view_name ORDER BY r.view_name),
           CASE WHEN pg_catalog.bool_or(r.as_of_date IS NULL) THEN '-infinity'::date
                ELSE LEAST(pg_catalog.min(r.as_of_date), CURRENT_DATE) - 30 END
    INTO targets, since
    FROM ops.mv_registry AS r
    WHERE r.view_kind = 'incremental' AND r.bucket_width = 'product' AND source = ANY (r.reads);
    IF targets IS NULL THEN
        RETURN NULL;
    END IF;

    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO ops.agg_product_invalidations (view_name, merchant_id, product_id, source_name)
        SELECT t.view_name, NULL, NULL, source FROM pg_catalog.unnest(targets) AS t (view_name);
        RETURN NULL;
    END IF;

    -- The changed rows (dated inside a window a refresh can still use, when the table has a day):
    -- new or deleted rows, or for an UPDATE the rows that differ between before and after.
    dated := CASE WHEN day_column = '' THEN 'true' ELSE pg_catalog.format('%I >= $3', day_column) END;
    rows_sql := CASE TG_OP
        WHEN 'INSERT' THEN pg_catalog.format('SELECT * FROM new_rows WHERE %s', dated)
        WHEN 'DELETE' THEN pg_catalog.format('SELECT * FROM old_rows WHERE %s', dated)
        -- Compared on the table's own columns but updated_at, not as jsonb: hashing typed rows
        -- costs a fraction of building a jsonb document per row (75,000 orders: 23 s as jsonb).
        ELSE pg_catalog.format($sql$
            (SELECT %1$s FROM new_rows WHERE %2$s EXCEPT SELECT %1$s FROM old_rows WHERE %2$s)
            UNION
            (SELECT %1$s FROM old_rows WHERE %2$s EXCEPT SELECT %1$s FROM new_rows WHERE %2$s)
            $sql$,
            (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
             FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'updated_at'),
            dated)
    END;

    -- The changed rows' day, for tables that have one (0041: an entry waits until its day is in a window).
    day_sql := CASE WHEN day_column = '' THEN 'NULL::date' ELSE pg_catalog.format('r.%I', day_column) END;
    keys_sql := CASE kind
        WHEN 'product' THEN pg_catalog.format('SELECT r.merchant_id, r.product_id, %s FROM (%s) AS r', day_sql, rows_sql)
        -- The lines of the changed orders, found by the orders' ids and date span ($4..$7, filled
        -- below) rather than joined: the planner then knows the span and reads only its partitions,
        -- where a join probed every partition once per order (75,000 orders: 35 s). A line's day is
        -- its order's.
        WHEN 'order' THEN pg_catalog.format(
            'SELECT it.merchant_id, it.product_id, %s FROM dw.fact_order_items AS it '
            'WHERE it.merchant_id = ANY ($4) AND it.order_id = ANY ($5) AND it.order_date BETWEEN $6 AND $7',
            CASE WHEN day_column = '' THEN 'NULL::date' ELSE 'it.order_date' END)
        WHEN 'category' THEN pg_catalog.format(
            'SELECT p.merchant_id, p.product_id, %s FROM (%s) AS r '
            'JOIN dw.dim_products AS p ON p.merchant_id = r.merchant_id AND p.category_id = r.category_id',
            day_sql, rows_sql)
    END;
    IF keys_sql IS NULL THEN
        RAISE EXCEPTION 'ops.log_product_changes: unknown kind % on %', kind, source USING ERRCODE = 'invalid_parameter_value';
    END IF;

    IF kind = 'order' THEN
        EXECUTE pg_catalog.format(
            'SELECT pg_catalog.array_agg(DISTINCT r.merchant_id), pg_catalog.array_agg(DISTINCT r.order_id), '
            'pg_catalog.min(r.order_date), pg_catalog.max(r.order_date) FROM (%s) AS r', rows_sql)
            INTO merchants, orders, first_day, last_day USING targets, source, since;
        IF orders IS NULL THEN
            RETURN NULL;
        END IF;
    END IF;

    EXECUTE pg_catalog.format($sql$
        INSERT INTO ops.agg_product_invalidations (view_name, merchant_id, product_id, sales_day, source_name)
        SELECT t.view_name, k.merchant_id, k.product_id, k.sales_day, $2
        FROM (SELECT DISTINCT c.merchant_id, c.product_id, c.sales_day FROM (%s) AS c (merchant_id, product_id, sales_day)) AS k
        CROSS JOIN pg_catalog.unnest($1) AS t (view_name)
        $sql$, keys_sql) USING targets, source, since, merchants, orders, first_day, last_day;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.log_product_changes() IS
    'AFTER ... FOR EACH STATEMENT trigger (transition tables new_rows/old_rows) on the tables per-product incremental aggregates read: logs the changed (merchant, product) pairs in ops.agg_product_invalidations for every aggregate of bucket width product reading the table. TG_ARGV[0]: product, order (via its lines) or category (via its products); TG_ARGV[1]: a day column bounding what can still be inside a 30-day window. TRUNCATE logs everything.';
REVOKE EXECUTE ON FUNCTION ops.log_product_changes() FROM PUBLIC;

-- ops.log_customer_changes: statement trigger that logs the customers a write changed in
-- ops.customer_invalidations, for every per-customer aggregate reading the table (docs/refresh.md).
-- requires: ops.mv_registry (0012_refresh_registry, 0027_incremental_aggregates),
--           ops.customer_invalidations (0034_customer_invalidations)
-- First created by 0034_customer_invalidations (with its triggers); this file is its live definition.
-- dw.fact_sales_orders: the distinct (merchant, customer) of the inserted or deleted rows; of an
-- UPDATE, of the old and new versions of the rows whose customer, day, status or amount changed
-- (a payment flag set on an order logs nothing). dw.dim_customers: the customers whose rows really
-- changed. dw.dim_user_levels (the VIP threshold): every customer. A TRUNCATE: every customer.

CREATE OR REPLACE FUNCTION ops.log_customer_changes()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    source   text := pg_catalog.format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
    targets  text[];
BEGIN
    SELECT pg_catalog.array_agg(r.view_name ORDER BY r.view_name) INTO targets
    FROM ops.mv_registry AS r
    WHERE r.view_kind = 'incremental' AND r.bucket_width = 'customer' AND source = ANY (r.reads);
    IF targets IS NULL THEN
        RETURN NULL;
    END IF;

    IF TG_OP = 'TRUNCATE' OR source = 'dw.dim_user_levels' THEN
        -- A level change that changes nothing (an upsert rewriting a row) logs nothing.
        IF TG_OP = 'UPDATE' THEN
            IF NOT EXISTS (SELECT pg_catalog.to_jsonb(n) - 'updated_at' FROM new_rows AS n
                           EXCEPT SELECT pg_catalog.to_jsonb(o) - 'updated_at' FROM old_rows AS o) THEN
                RETURN NULL;
            END IF;
        END IF;
        INSERT INTO ops.customer_invalidations (view_name, merchant_id, customer_id, source_name)
        SELECT t.view_name, NULL, NULL, source FROM pg_catalog.unnest(targets) AS t (view_name);
    ELSIF source = 'dw.fact_sales_orders' THEN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO ops.customer_invalidations (view_name, merchant_id, customer_id, source_name)
            SELECT t.view_name, c.merchant_id, c.customer_id, source
            FROM (SELECT DISTINCT n.merchant_id, n.customer_id FROM new_rows AS n WHERE n.customer_id IS NOT NULL) AS c
            CROSS JOIN pg_catalog.unnest(targets) AS t (view_name);
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO ops.customer_invalidations (view_name, merchant_id, customer_id, source_name)
            SELECT t.view_name, c.merchant_id, c.customer_id, source
            FROM (SELECT DISTINCT o.merchant_id, o.customer_id FROM old_rows AS o WHERE o.customer_id IS NOT NULL) AS c
            CROSS JOIN pg_catalog.unnest(targets) AS t (view_name);
        ELSE
            INSERT INTO ops.customer_invalidations (view_name, merchant_id, customer_id, source_name)
            SELECT t.view_name, c.merchant_id, c.customer_id, source
            FROM (SELECT d.merchant_id, d.customer_id
                  FROM ((SELECT n.order_id, n.merchant_id, n.customer_id, n.order_date, n.status, n.gmv_cny FROM new_rows AS n
                         EXCEPT SELECT o.order_id, o.merchant_id, o.customer_id, o.order_date, o.status, o.gmv_cny FROM old_rows AS o)
                        UNION
                        (SELECT o.order_id, o.merchant_id, o.customer_id, o.order_date, o.status, o.gmv_cny FROM old_rows AS o
                         EXCEPT SELECT n.order_id, n.merchant_id, n.customer_id, n.order_date, n.status, n.gmv_cny FROM new_rows AS n)) AS d
                  WHERE d.customer_id IS NOT NULL
                  GROUP BY d.merchant_id, d.customer_id) AS c
            CROSS JOIN pg_catalog.unnest(targets) AS t (view_name);
        END IF;
    ELSIF source = 'dw.dim_customers' AND TG_OP = 'UPDATE' THEN
        -- Only rows that really changed (an upsert rewriting a row unchanged logs nothing), old
        -- and new version (a customer moved to another merchant leaves the old one's rows).
        INSERT INTO ops.customer_invalidations (view_name, merchant_id, customer_id, source_name)
        SELECT t.view_name, c.merchant_id, c.customer_id, source
        FROM (SELECT DISTINCT (d.j ->> 'merchant_id')::bigint AS merchant_id, (d.j ->> 'customer_id')::bigint AS customer_id
              FROM ((SELECT pg_catalog.to_jsonb(n) - 'updated_at' AS j FROM new_rows AS n
                     EXCEPT SELECT pg_catalog.to_jsonb(o) - 'updated_at' FROM old_rows AS o)
                    UNION
                    (SELECT pg_catalog.to_jsonb(o) - 'updated_at' FROM old_rows AS o
                     EXCEPT SELECT pg_catalog.to_jsonb(n) - 'updated_at' FROM new_rows AS n)) AS d) AS c
        CROSS JOIN pg_catalog.unnest(targets) AS t (view_name);
    ELSIF source = 'dw.dim_customers' THEN
        INSERT INTO ops.customer_invalidations (view_name, merchant_id, customer_id, source_name)
        SELECT t.view_name, c.merchant_id, c.customer_id, source
        FROM (SELECT DISTINCT o.merchant_id, o.customer_id FROM old_rows AS o) AS c
        CROSS JOIN pg_catalog.unnest(targets) AS t (view_name);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION ops.log_customer_changes() IS
    'AFTER ... FOR EACH STATEMENT trigger (with transition tables new_rows/old_rows) on dw.fact_sales_orders, dw.dim_customers and dw.dim_user_levels: logs the (merchant, customer) pairs whose rows changed in ops.customer_invalidations for every per-customer aggregate (bucket width customer) reading the table; a TRUNCATE or a change of dw.dim_user_levels logs every customer.';
REVOKE EXECUTE ON FUNCTION ops.log_customer_changes() FROM PUBLIC;

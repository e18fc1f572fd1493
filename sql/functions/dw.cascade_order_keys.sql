-- dw.cascade_order_keys: what the foreign keys from order lines, stock movements, receivables and
-- expenses to their order did on the order's side, once per statement
-- (0026_order_references_checked_per_statement; lines since 0037_order_lines_checked_per_statement).
-- requires: dw.fact_sales_orders, dw.fact_order_items, dw.fact_inventory_transactions,
--           dw.fact_accounts_receivable, dw.fact_expenses, dw.check_order_references (fired by the updates below)
-- AFTER UPDATE (transition tables old_orders, new_orders): an order whose order_date changed (an
-- import correcting it) takes its lines and referencing rows to the new date, as ON UPDATE CASCADE did;
-- its stock movements also move by as many days (never past now), so stock as of a day follows the order.
-- AFTER DELETE (old_orders): deleting an order that movements, a receivable or expenses still name
-- raises 23503, as a foreign key without an action did; otherwise its lines go with it (ON DELETE
-- CASCADE). AFTER TRUNCATE: the lines are truncated too, as TRUNCATE ... CASCADE did.
-- Statement triggers fire for statements on dw.fact_sales_orders itself, not on one partition:
-- dw.ensure_partitions moves orders out of DEFAULT that way (their lines moved first) and puts them
-- back unchanged.

CREATE OR REPLACE FUNCTION dw.cascade_order_keys()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    blocked record;
    date_changed boolean;
BEGIN
    -- EXECUTE, not static queries: PL/pgSQL keeps a static query's first plan for the session, made for the
    -- first statement's transition tables (often a few rows), and joined 100,000 old and new rows with it
    -- by nested loop.
    IF TG_OP = 'TRUNCATE' THEN
        -- Skipped when the same statement truncated the lines (TRUNCATE orders, lines).
        IF EXISTS (SELECT 1 FROM dw.fact_order_items) THEN
            TRUNCATE dw.fact_order_items;
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        -- Nearly every update of an order keeps its date (posting, settlement, re-imports): find that out on the
        -- transition tables alone, before planning four updates over every partition. An aggregate, not
        -- EXISTS: planned to stop at the first match, EXISTS joined the two tables by nested loop, which
        -- for 100,000 updated orders ran for over 20 minutes; the aggregate hashes them.
        EXECUTE $q$
            SELECT coalesce(pg_catalog.bool_or(n.order_date <> o.order_date), false)
            FROM old_orders AS o
            JOIN new_orders AS n ON n.merchant_id = o.merchant_id AND n.order_id = o.order_id
            $q$ INTO date_changed;
        IF NOT date_changed THEN
            RETURN NULL;
        END IF;
        EXECUTE $q$
            WITH moved AS (
                SELECT o.merchant_id, o.order_id, o.order_date AS old_date, n.order_date AS new_date,
                       pg_catalog.make_interval(days => n.order_date - o.order_date) AS shift
                FROM old_orders AS o
                JOIN new_orders AS n ON n.merchant_id = o.merchant_id AND n.order_id = o.order_id
                WHERE n.order_date <> o.order_date
            ),
            lines AS (
                UPDATE dw.fact_order_items AS i SET order_date = m.new_date FROM moved AS m
                WHERE i.merchant_id = m.merchant_id AND i.order_id = m.order_id AND i.order_date = m.old_date
                RETURNING 1
            ),
            -- The order's stock movements move by as many days as the order (docs/business-flows.md, "Stock movements
            -- follow a corrected order"), but not past now: a cancellation recorded today does not move into the future.
            movements AS (
                UPDATE dw.fact_inventory_transactions AS t
                SET order_date = m.new_date,
                    occurred_at = least(t.occurred_at + m.shift, greatest(t.occurred_at, pg_catalog.now())),
                    transaction_date = CASE WHEN t.occurred_at + m.shift <= greatest(t.occurred_at, pg_catalog.now())
                                            THEN t.transaction_date + (m.new_date - m.old_date)
                                            ELSE (pg_catalog.now() AT TIME ZONE z.timezone)::date END
                FROM moved AS m
                JOIN dw.dim_merchants AS z ON z.merchant_id = m.merchant_id
                WHERE t.merchant_id = m.merchant_id AND t.order_id = m.order_id AND t.order_date = m.old_date
                RETURNING 1
            ),
            receivables AS (
                UPDATE dw.fact_accounts_receivable AS r SET order_date = m.new_date FROM moved AS m
                WHERE r.merchant_id = m.merchant_id AND r.order_id = m.order_id AND r.order_date = m.old_date
                RETURNING 1
            )
            UPDATE dw.fact_expenses AS e SET order_date = m.new_date FROM moved AS m
            WHERE e.merchant_id = m.merchant_id AND e.order_id = m.order_id AND e.order_date = m.old_date
            $q$;
        RETURN NULL;
    END IF;

    -- DELETE: like a foreign key without an action, refuse to leave rows naming a deleted order.
    EXECUTE $q$
        SELECT x.table_name, x.merchant_id, x.order_id, x.order_date
        FROM (
            SELECT 'fact_inventory_transactions' AS table_name, t.merchant_id, t.order_id, t.order_date
            FROM old_orders AS o JOIN dw.fact_inventory_transactions AS t
              ON t.merchant_id = o.merchant_id AND t.order_id = o.order_id AND t.order_date = o.order_date
            UNION ALL
            SELECT 'fact_accounts_receivable', r.merchant_id, r.order_id, r.order_date
            FROM old_orders AS o JOIN dw.fact_accounts_receivable AS r
              ON r.merchant_id = o.merchant_id AND r.order_id = o.order_id AND r.order_date = o.order_date
            UNION ALL
            SELECT 'fact_expenses', e.merchant_id, e.order_id, e.order_date
            FROM old_orders AS o JOIN dw.fact_expenses AS e
              ON e.merchant_id = o.merchant_id AND e.order_id = o.order_id AND e.order_date = o.order_date
        ) AS x
        WHERE NOT EXISTS (SELECT 1 FROM dw.fact_sales_orders AS s
                          WHERE s.merchant_id = x.merchant_id AND s.order_id = x.order_id AND s.order_date = x.order_date)
        LIMIT 1
        $q$ INTO blocked;
    IF blocked.table_name IS NOT NULL THEN
        RAISE EXCEPTION 'update or delete on table "fact_sales_orders" violates foreign key constraint "%" on table "%"',
                        blocked.table_name || '_order_fkey', blocked.table_name
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (merchant_id, order_id, order_date)=(%s, %s, %s) is still referenced from table "%s".',
                                  blocked.merchant_id, blocked.order_id, blocked.order_date, blocked.table_name),
                  SCHEMA = 'dw', TABLE = blocked.table_name, CONSTRAINT = blocked.table_name || '_order_fkey';
    END IF;
    EXECUTE $q$
        DELETE FROM dw.fact_order_items AS i
        USING old_orders AS o
        WHERE i.merchant_id = o.merchant_id AND i.order_id = o.order_id AND i.order_date = o.order_date
        $q$;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION dw.cascade_order_keys() IS
    'Statement triggers of dw.fact_sales_orders (transition tables old_orders, new_orders): an order whose order_date changed takes its lines, stock movements, receivable and expenses along; deleting an order that movements, a receivable or expenses still name raises 23503, else its lines are deleted with it; a TRUNCATE truncates the lines.';
REVOKE EXECUTE ON FUNCTION dw.cascade_order_keys() FROM PUBLIC;

-- 0026_order_references_checked_per_statement: the stock movements, receivables and expenses
-- that posting derives from an order name it by (merchant_id, order_id, order_date). As row
-- foreign keys to the partitioned dw.fact_sales_orders, PostgreSQL 15 checked every derived row
-- with a plan that locks each of the ~90 monthly partitions: about three quarters of the time of
-- posting an order. The three references are now checked once per statement, set-based, by
-- triggers with transition tables (docs/business-flows.md, "Order references"), with the same
-- outcomes: a row naming a missing order fails with 23503 and constraint <table>_order_fkey; an
-- order whose date changes takes its rows along; an order still named cannot be deleted.
-- dw.fact_order_items keeps its row foreign key: lines are imported, not derived.
-- requires: 0006_facts_inventory_finance, 0022_orders_move_with_their_date
-- The trigger functions are defined here first; their live definitions are
-- sql/functions/dw.check_order_references.sql and sql/functions/dw.cascade_order_keys.sql.

ALTER TABLE dw.fact_inventory_transactions DROP CONSTRAINT fact_inventory_transactions_order_fkey;
ALTER TABLE dw.fact_accounts_receivable DROP CONSTRAINT fact_accounts_receivable_order_fkey;
ALTER TABLE dw.fact_expenses DROP CONSTRAINT fact_expenses_order_fkey;

CREATE OR REPLACE FUNCTION dw.check_order_references()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing record;
BEGIN
    SELECT r.merchant_id, r.order_id, r.order_date INTO missing
    FROM referencing AS r
    WHERE r.order_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM dw.fact_sales_orders AS o
                      WHERE o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, TG_TABLE_NAME || '_order_fkey'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (merchant_id, order_id, order_date)=(%s, %s, %s) is not present in table "fact_sales_orders".',
                                  missing.merchant_id, missing.order_id, missing.order_date),
                  SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = TG_TABLE_NAME || '_order_fkey';
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION dw.check_order_references() IS
    'Statement trigger (transition table "referencing") of the tables posting derives from orders: raises 23503, constraint <table>_order_fkey, when a written row names an order (merchant_id, order_id, order_date) that does not exist.';
REVOKE EXECUTE ON FUNCTION dw.check_order_references() FROM PUBLIC;

CREATE OR REPLACE FUNCTION dw.cascade_order_keys()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    blocked record;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        WITH moved AS (
            SELECT o.merchant_id, o.order_id, o.order_date AS old_date, n.order_date AS new_date
            FROM old_orders AS o
            JOIN new_orders AS n ON n.merchant_id = o.merchant_id AND n.order_id = o.order_id
            WHERE n.order_date <> o.order_date
        ),
        movements AS (
            UPDATE dw.fact_inventory_transactions AS t SET order_date = m.new_date FROM moved AS m
            WHERE t.merchant_id = m.merchant_id AND t.order_id = m.order_id AND t.order_date = m.old_date
            RETURNING 1
        ),
        receivables AS (
            UPDATE dw.fact_accounts_receivable AS r SET order_date = m.new_date FROM moved AS m
            WHERE r.merchant_id = m.merchant_id AND r.order_id = m.order_id AND r.order_date = m.old_date
            RETURNING 1
        )
        UPDATE dw.fact_expenses AS e SET order_date = m.new_date FROM moved AS m
        WHERE e.merchant_id = m.merchant_id AND e.order_id = m.order_id AND e.order_date = m.old_date;
        RETURN NULL;
    END IF;

    -- DELETE: like a foreign key without an action, refuse to leave rows naming a deleted order.
    SELECT x.table_name, x.merchant_id, x.order_id, x.order_date INTO blocked
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
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'update or delete on table "fact_sales_orders" violates foreign key constraint "%" on table "%"',
                        blocked.table_name || '_order_fkey', blocked.table_name
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (merchant_id, order_id, order_date)=(%s, %s, %s) is still referenced from table "%s".',
                                  blocked.merchant_id, blocked.order_id, blocked.order_date, blocked.table_name),
                  SCHEMA = 'dw', TABLE = blocked.table_name, CONSTRAINT = blocked.table_name || '_order_fkey';
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION dw.cascade_order_keys() IS
    'Statement triggers of dw.fact_sales_orders (transition tables old_orders, new_orders): an order whose order_date changed takes its stock movements, receivable and expenses along; deleting an order they still name raises 23503.';
REVOKE EXECUTE ON FUNCTION dw.cascade_order_keys() FROM PUBLIC;

CREATE TRIGGER fact_inventory_transactions_order_check_insert AFTER INSERT ON dw.fact_inventory_transactions
    REFERENCING NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_order_references();
CREATE TRIGGER fact_inventory_transactions_order_check_update AFTER UPDATE ON dw.fact_inventory_transactions
    REFERENCING NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_order_references();
CREATE TRIGGER fact_accounts_receivable_order_check_insert AFTER INSERT ON dw.fact_accounts_receivable
    REFERENCING NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_order_references();
CREATE TRIGGER fact_accounts_receivable_order_check_update AFTER UPDATE ON dw.fact_accounts_receivable
    REFERENCING NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_order_references();
CREATE TRIGGER fact_expenses_order_check_insert AFTER INSERT ON dw.fact_expenses
    REFERENCING NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_order_references();
CREATE TRIGGER fact_expenses_order_check_update AFTER UPDATE ON dw.fact_expenses
    REFERENCING NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_order_references();

CREATE TRIGGER fact_sales_orders_cascade_update AFTER UPDATE ON dw.fact_sales_orders
    REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION dw.cascade_order_keys();
CREATE TRIGGER fact_sales_orders_restrict_delete AFTER DELETE ON dw.fact_sales_orders
    REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION dw.cascade_order_keys();

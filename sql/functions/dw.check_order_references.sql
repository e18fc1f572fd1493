-- dw.check_order_references: the order check of the rows that name an order (order lines, stock
-- movements, receivables, expenses), once per statement (0026_order_references_checked_per_statement;
-- lines since 0037_order_lines_checked_per_statement).
-- requires: dw.fact_sales_orders
-- Fired AFTER INSERT and AFTER UPDATE FOR EACH STATEMENT with the written rows as the transition
-- table "referencing": one anti-join finds a row naming an order (merchant_id, order_id,
-- order_date) that does not exist, and raises what the foreign key it replaces raised (23503,
-- constraint <table>_order_fkey), so callers and error messages see no difference. The orders
-- found are locked FOR KEY SHARE, as the foreign key locked them: a concurrent DELETE of one waits
-- for this transaction, so it cannot leave a row naming an order that is gone.
-- Checked: each row's order key (not DISTINCT: the planner guesses a tenth of the rows for a DISTINCT
-- over a transition table, and for 200,000 keys probed the partitions per key, 7 s, instead of
-- hashing them); on UPDATE only the keys the rows did not hold before
-- (transition table "referenced_before", 0033_order_reference_updates_see_old_rows), since a key
-- already held was checked when written and its order cannot be deleted while named. A statement
-- that wrote no row naming an order returns before planning anything over the partitions.
-- A statement of many rows (at least 10,000 naming an order) puts its keys in an analyzed temp
-- table first. Over the transition table the planner knows the keys' number but not their values,
-- costs a hash join of them 100 times too high and probes the orders' primary key once per key:
-- 400,000 lines of 200,000 orders took 0.96-1.2 s so, 0.43-0.7 s with the table (its ANALYZE
-- included), where the planner hashes them when that is cheaper and still probes when the orders
-- of the rows' days far outnumber the keys. Once the orders have statistics of their own
-- (ops.analyze_stale_parents) the planner hashes them for the transition table as well; the table
-- is for a first load into a warehouse whose orders have none yet, a history imported whole.
-- Every statement is checked, the posting functions' own included: a skip a session could ask for
-- (a setting) would let any writer store references to orders that do not exist, which the
-- foreign key this replaces never allowed.

CREATE OR REPLACE FUNCTION dw.check_order_references()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- A merge join of the keys and the orders on (merchant, day) alone, then filtering by order id, is
-- quadratic in the orders of a day: the planner chose it for 200,000 keys (164 million rows
-- filtered, 37 s). Hashing or probing the primary key is linear, whatever the estimates.
SET enable_mergejoin = off
AS $$
DECLARE
    keys_sql         text := 'SELECT n.merchant_id, n.order_id, n.order_date FROM referencing AS n WHERE n.order_id IS NOT NULL';
    missing_merchant bigint;
    missing_order    bigint;
    missing_date     date;
    first_day        date;
    last_day         date;
    naming           bigint;
    keys_from        text := 'keys';
    with_keys        text;
BEGIN
    SELECT count(*), min(r.order_date), max(r.order_date) INTO naming, first_day, last_day
    FROM referencing AS r WHERE r.order_id IS NOT NULL;
    IF naming = 0 THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        keys_sql := keys_sql || ' EXCEPT SELECT b.merchant_id, b.order_id, b.order_date FROM referenced_before AS b';
    END IF;
    IF naming >= 10000 THEN
        EXECUTE 'CREATE TEMP TABLE order_reference_keys ON COMMIT DROP AS ' || keys_sql;
        ANALYZE pg_temp.order_reference_keys;
        keys_from := 'pg_temp.order_reference_keys';
        with_keys := 'WITH';
    ELSE
        with_keys := format('WITH keys AS (%s),', keys_sql);
    END IF;
    -- EXECUTE, not a static query: PL/pgSQL keeps a static query's first plan for the session, made for
    -- the first statement's transition table (often a handful of rows), and reused it for 200,000.
    -- ORDER BY before LIMIT 1: a bare LIMIT 1 let the planner expect to stop at the first missing
    -- order and probe the partitions once per key (40,000 keys: 1-4 s); sorted, it costs the whole
    -- anti-join and hashes it when the batch is large (0.2 s), and names the first missing key.
    -- The rows' first and last day, as literals, prune the orders to their partitions when planned:
    -- without them a large batch hashed every order of the warehouse (1,000,000 orders: 4 s).
    -- The keys as a CTE, or the analyzed table of a large statement (read by name: a CTE hides its
    -- statistics from the planner).
    EXECUTE format($q$
        %s
        found AS (
            SELECT o.merchant_id, o.order_id, o.order_date
            FROM dw.fact_sales_orders AS o
            JOIN %s AS k ON k.merchant_id = o.merchant_id AND k.order_id = o.order_id AND k.order_date = o.order_date
            WHERE o.order_date BETWEEN %L AND %L
            FOR KEY SHARE OF o
        )
        SELECT k.merchant_id, k.order_id, k.order_date
        FROM %s AS k
        WHERE NOT EXISTS (SELECT 1 FROM found AS f
                          WHERE f.merchant_id = k.merchant_id AND f.order_id = k.order_id AND f.order_date = k.order_date)
        ORDER BY k.merchant_id, k.order_id, k.order_date
        LIMIT 1
        $q$, with_keys, keys_from, first_day, last_day, keys_from) INTO missing_merchant, missing_order, missing_date;
    IF keys_from <> 'keys' THEN
        DROP TABLE pg_temp.order_reference_keys;
    END IF;
    IF missing_merchant IS NOT NULL THEN
        RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, TG_TABLE_NAME || '_order_fkey'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (merchant_id, order_id, order_date)=(%s, %s, %s) is not present in table "fact_sales_orders".',
                                  missing_merchant, missing_order, missing_date),
                  SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = TG_TABLE_NAME || '_order_fkey';
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION dw.check_order_references() IS
    'Statement trigger (transition table "referencing") of the tables whose rows name an order (lines, stock movements, receivables, expenses): raises 23503, constraint <table>_order_fkey, when a written row names an order (merchant_id, order_id, order_date) that does not exist; locks the orders found FOR KEY SHARE.';
REVOKE EXECUTE ON FUNCTION dw.check_order_references() FROM PUBLIC;

-- dw.post_stock_counts: physical stock counts (盘点) become adjustment movements.
-- requires: dw.fact_stock_counts (0017_business_flows), dw.fact_inventory,
--           dw.fact_inventory_transactions, dw.apply_inventory_movements, dw.dim_merchants
-- Each unposted count posts once, oldest first per position: adjustment = counted_quantity - the
-- book balance (on hand - shortage) at posting, reference count:<product_id>:<warehouse>:<counted_at>;
-- book_quantity and posted_at record it, last_counted_at moves on. A corrected count is a new count.

CREATE OR REPLACE FUNCTION dw.post_stock_counts(merchant bigint DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    posted integer := 0;
    one    record;
    book   integer;
BEGIN
    -- Oldest first, one at a time: a later count of the same position must see the earlier one.
    FOR one IN
        SELECT c.merchant_id, c.product_id, c.warehouse_code, c.counted_at, c.counted_quantity, m.timezone
        FROM dw.fact_stock_counts AS c
        JOIN dw.dim_merchants AS m ON m.merchant_id = c.merchant_id
        WHERE c.posted_at IS NULL AND (merchant IS NULL OR c.merchant_id = merchant)
        ORDER BY c.merchant_id, c.product_id, c.warehouse_code, c.counted_at
        FOR UPDATE OF c
    LOOP
        PERFORM dw.apply_inventory_movements(one.merchant_id);
        SELECT f.quantity_on_hand - f.shortage_on_hand INTO book
        FROM dw.fact_inventory AS f
        WHERE f.merchant_id = one.merchant_id AND f.product_id = one.product_id AND f.warehouse_code = one.warehouse_code;
        book := coalesce(book, 0);

        IF one.counted_quantity <> book THEN
            INSERT INTO dw.fact_inventory_transactions (
                merchant_id, transaction_date, product_id, warehouse_code, transaction_type, quantity_change,
                reference_no, note, occurred_at, quantity_posted)
            VALUES (one.merchant_id, (one.counted_at AT TIME ZONE one.timezone)::date, one.product_id, one.warehouse_code,
                    'adjustment', one.counted_quantity - book,
                    format('count:%s:%s:%s', one.product_id, one.warehouse_code, to_char(one.counted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                    format('stock count: %s counted, %s in the books', one.counted_quantity, book),
                    one.counted_at, 0)
            ON CONFLICT (merchant_id, transaction_type, reference_no) WHERE reference_no IS NOT NULL DO NOTHING;
        END IF;

        UPDATE dw.fact_stock_counts AS c
        SET book_quantity = book, posted_at = now()
        WHERE c.merchant_id = one.merchant_id AND c.product_id = one.product_id
          AND c.warehouse_code = one.warehouse_code AND c.counted_at = one.counted_at;
        posted := posted + 1;
    END LOOP;

    IF posted > 0 THEN
        PERFORM dw.apply_inventory_movements(merchant);
        UPDATE dw.fact_inventory AS f
        SET last_counted_at = c.last_counted_at
        FROM (SELECT c.merchant_id, c.product_id, c.warehouse_code, max(c.counted_at) AS last_counted_at
              FROM dw.fact_stock_counts AS c
              WHERE c.posted_at IS NOT NULL AND (merchant IS NULL OR c.merchant_id = merchant)
              GROUP BY c.merchant_id, c.product_id, c.warehouse_code) AS c
        WHERE f.merchant_id = c.merchant_id AND f.product_id = c.product_id AND f.warehouse_code = c.warehouse_code
          AND f.last_counted_at IS DISTINCT FROM c.last_counted_at;
    END IF;
    RETURN posted;
END
$$;

COMMENT ON FUNCTION dw.post_stock_counts(bigint) IS
    'Posts every unposted stock count (of one merchant, or all) as an adjustment movement of counted - book balance, and applies it; returns the counts posted. A posted count is never posted again.';
REVOKE EXECUTE ON FUNCTION dw.post_stock_counts(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post_stock_counts(bigint) TO erp_writer;

-- ops.lock_merchant_ingest: the ingest lock of each merchant named, held until the transaction ends; taken by every batch of
-- orders or lines (BatchLoader) before its checks.
-- requires: ops.ingest_locks (0085_ingest_locks), dw.dim_merchants
-- Shared (alone = false) by batches that lock order rows in key order, so small batches of one merchant run side by side;
-- alone (true) by a batch that updates stored orders by UPDATE, which locks them in its join's order and could deadlock
-- with another batch writing the same orders (docs/batch-plans.md, "Lock order"). Merchants are locked in id order, so two
-- batches of the same merchants never wait for each other crosswise. A merchant's row is added the first time; an id that is
-- no merchant gets none (the batch's checks refuse its rows).
-- SECURITY DEFINER: the lock is a row lock on an ops table that only the owner may lock, so that no reader can take it (an
-- advisory key before 0085 let any login stall another merchant's imports; docs/security.md, "Availability").

CREATE OR REPLACE FUNCTION ops.lock_merchant_ingest(merchant_ids bigint[], alone boolean)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO ops.ingest_locks (merchant_id)
    SELECT m.merchant_id FROM dw.dim_merchants AS m
    WHERE m.merchant_id = ANY (merchant_ids)
      AND NOT EXISTS (SELECT 1 FROM ops.ingest_locks AS l WHERE l.merchant_id = m.merchant_id)
    ON CONFLICT DO NOTHING;
    -- NO KEY: nothing references these rows, but it is the weakest mode that excludes FOR SHARE.
    IF alone THEN
        PERFORM 1 FROM ops.ingest_locks AS l WHERE l.merchant_id = ANY (merchant_ids) ORDER BY l.merchant_id FOR NO KEY UPDATE;
    ELSE
        PERFORM 1 FROM ops.ingest_locks AS l WHERE l.merchant_id = ANY (merchant_ids) ORDER BY l.merchant_id FOR SHARE;
    END IF;
END
$$;

COMMENT ON FUNCTION ops.lock_merchant_ingest(bigint[], boolean) IS
    'The ingest lock of each merchant named, in id order, held to the commit: shared, or alone when alone is true (a batch that updates stored orders by UPDATE). A row lock on ops.ingest_locks, which only this function (SECURITY DEFINER) can take, so that no reader can stall an ingest. Called by every batch of orders or lines.';
REVOKE EXECUTE ON FUNCTION ops.lock_merchant_ingest(bigint[], boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.lock_merchant_ingest(bigint[], boolean) TO erp_writer;

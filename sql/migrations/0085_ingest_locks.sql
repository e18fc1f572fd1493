-- 0085_ingest_locks: a merchant's ingest lock becomes a row lock only writers can take.
-- Batches of orders and lines hold their merchants' ingest lock to the commit (docs/batch-plans.md, "Lock order"): shared by
-- batches that lock order rows in key order, alone by one that updates stored orders by UPDATE. It was an advisory key per
-- merchant, hashtextextended('erpdb.ingest', merchant_id), which any login may take: a reader of one merchant could hold
-- another merchant's key and stall its imports for as long as it liked, and pg_locks showed every login which merchant was
-- importing. Now the lock is the merchant's row of ops.ingest_locks: row locks need a privilege on the table, only erp_owner
-- has one, so only ops.lock_merchant_ingest (SECURITY DEFINER, granted to writers) takes them.
-- requires: 0002_roles (erp_owner owns ops)
-- The function is sql/functions/ops.lock_merchant_ingest.sql, created later in the same erpdb migrate.

CREATE TABLE ops.ingest_locks (
    -- No foreign key: the seeder's TRUNCATE of dw.dim_merchants would refuse one; the function adds rows of known merchants only.
    merchant_id bigint PRIMARY KEY
);

REVOKE ALL ON ops.ingest_locks FROM PUBLIC;

COMMENT ON TABLE ops.ingest_locks IS 'One row per merchant an ingest of orders or lines has locked: the row lock (FOR SHARE shared, FOR NO KEY UPDATE alone) is the merchant''s ingest lock, held to the commit. Only ops.lock_merchant_ingest takes it; nothing reads the rows.';

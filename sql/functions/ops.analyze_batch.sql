-- ops.analyze_batch: ANALYZEs a temp table a batch stages or derives (the ingest's staged rows, the
-- posting's orders), on a sample of 3,000 rows when it is larger than 1 MB.
-- Why analysed at all: a temp table is never analysed by autovacuum, and one never analysed is
-- planned as about a thousand rows whatever it holds, so a batch of 200,000 was joined key by key.
-- Why a small sample: the plans need the table's size (counted whole by any ANALYZE) and the number
-- of distinct keys and days; a statistics target of 10 (3,000 rows) tells those as well as the
-- default 100 (30,000 rows) and takes a tenth of the time: 200,000 staged orders of 28 columns,
-- 160-200 ms against 15 ms. The table is the batch's own and dropped at commit, so the per-column
-- setting lasts no longer than its statistics. Up to 1 MB (some 7,000 staged orders) ANALYZE reads
-- the whole table either way, and altering its columns would only add catalog writes to a small
-- batch's call.
-- Runs as the caller, who created the table. The table is named by text and resolved when called:
-- a regclass literal in a function's call is resolved by plpgsql_check's static pass, before the
-- temp table it names exists.

CREATE OR REPLACE FUNCTION ops.analyze_batch(batch_table text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    batch   regclass := batch_table::regclass;
    sampled text;
BEGIN
    IF pg_relation_size(batch) > 1024 * 1024 THEN
        SELECT string_agg(format('ALTER COLUMN %I SET STATISTICS 10', a.attname), ', ' ORDER BY a.attnum)
        INTO sampled
        FROM pg_attribute AS a
        WHERE a.attrelid = batch AND a.attnum > 0 AND NOT a.attisdropped;
        EXECUTE format('ALTER TABLE %s %s', batch, sampled);
    END IF;
    EXECUTE format('ANALYZE %s', batch);
END
$$;

COMMENT ON FUNCTION ops.analyze_batch(text) IS
    'ANALYZEs a batch''s temp table, on a 3,000-row sample (statistics target 10) when it is larger than 1 MB.';
REVOKE EXECUTE ON FUNCTION ops.analyze_batch(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.analyze_batch(text) TO erp_writer;

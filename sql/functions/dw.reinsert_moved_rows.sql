-- dw.reinsert_moved_rows: inserts the rows dw.ensure_partitions set aside in a temp table back
-- into their parent table (so they land in their month partition), then drops the temp table.
-- requires: the parent dw.<table_name>; the temp table holds SELECT * of it

CREATE OR REPLACE FUNCTION dw.reinsert_moved_rows(table_name text, temp_table text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    columns  text;
    inserted bigint;
BEGIN
    -- Every stored column but the generated ones, which PostgreSQL recomputes.
    SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum) INTO columns
    FROM pg_catalog.pg_attribute AS a
    WHERE a.attrelid = format('dw.%I', table_name)::regclass
      AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
    EXECUTE format('INSERT INTO dw.%I (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM pg_temp.%I',
                   table_name, columns, columns, temp_table);
    GET DIAGNOSTICS inserted = ROW_COUNT;
    EXECUTE format('DROP TABLE pg_temp.%I', temp_table);
    RETURN inserted;
END
$$;

COMMENT ON FUNCTION dw.reinsert_moved_rows(text, text) IS
    'Used by dw.ensure_partitions: inserts the rows of pg_temp.<temp_table> into dw.<table_name> (all columns but generated ones, identities kept), drops the temp table, returns the rows inserted.';
REVOKE EXECUTE ON FUNCTION dw.reinsert_moved_rows(text, text) FROM PUBLIC;

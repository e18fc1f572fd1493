-- ops.indexed_columns: the columns of a table's indexes, quoted and comma-separated in column
-- order, or NULL when it has none: the column list of the ANALYZEs that a batch and a due refresh
-- take of the facts (ops.analyze_changed_partitions with indexed_columns_only,
-- ops.analyze_stale_parents). Those are the keys and dates the joins and filters are estimated on;
-- the other columns are left to autovacuum.
-- requires: nothing (reads the catalog)

CREATE OR REPLACE FUNCTION ops.indexed_columns(relation regclass)
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
    FROM pg_catalog.pg_attribute AS a
    WHERE a.attrelid = relation AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attnum IN (SELECT k.attnum FROM pg_catalog.pg_index AS i, unnest(i.indkey::int2[]) AS k (attnum)
                       WHERE i.indrelid = relation)
$$;

COMMENT ON FUNCTION ops.indexed_columns(regclass) IS
    'The columns of a table''s indexes, quoted and comma-separated in column order (NULL: none): the column list of the facts'' ANALYZEs in ops.analyze_changed_partitions and ops.analyze_stale_parents.';
REVOKE EXECUTE ON FUNCTION ops.indexed_columns(regclass) FROM PUBLIC;

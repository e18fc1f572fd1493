-- dw.create_month_partition: creates one monthly partition <table>_pYYYY_MM of a dw fact, locked
-- down like every partition (docs/merchant-isolation.md). Used by dw.ensure_partitions.
-- requires: the partitioned parent dw.<table_name> (0005_facts_sales)

CREATE OR REPLACE FUNCTION dw.create_month_partition(table_name text, month_start date)
RETURNS regclass
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    partition_name text := table_name || '_p' || to_char(month_start, 'YYYY_MM');
BEGIN
    IF month_start <> date_trunc('month', month_start)::date THEN
        RAISE EXCEPTION 'dw.create_month_partition: % is not the first day of a month', month_start
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('CREATE TABLE dw.%I PARTITION OF dw.%I FOR VALUES FROM (%L) TO (%L)',
                   partition_name, table_name, month_start, (month_start + interval '1 month')::date);
    -- Only the parent is accessed (and protected by its policies).
    EXECUTE format('REVOKE ALL ON dw.%I FROM PUBLIC, erp_writer, erp_reader', partition_name);
    EXECUTE format('ALTER TABLE dw.%I ENABLE ROW LEVEL SECURITY', partition_name);
    EXECUTE format('COMMENT ON TABLE dw.%I IS %L', partition_name,
                   format('Partition of dw.%s for %s; accessed through the parent only.', table_name, to_char(month_start, 'YYYY-MM')));
    RETURN format('dw.%I', partition_name)::regclass;
END
$$;

COMMENT ON FUNCTION dw.create_month_partition(text, date) IS
    'Creates the partition dw.<table_name>_pYYYY_MM for the month starting at month_start, with no grants and row level security enabled (reached through the parent only). Fails if DEFAULT holds rows of that month; dw.ensure_partitions moves them first.';
REVOKE EXECUTE ON FUNCTION dw.create_month_partition(text, date) FROM PUBLIC;

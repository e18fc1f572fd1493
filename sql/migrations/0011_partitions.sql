-- 0011_partitions: monthly partitions of the large facts, and dw.ensure_partitions() that keeps
-- them ahead of time (docs/partitioning.md).
-- requires: 0005_facts_sales (the partitioned parents and their DEFAULT partitions),
--           0010_merchant_isolation (partitions are locked down the same way as there)
--
-- Partitioned (RANGE, one partition per calendar month, named <table>_pYYYY_MM):
--   dw.fact_sales_orders (order_date), dw.fact_order_items (order_date),
--   dw.fact_product_metrics (metric_date)

CREATE OR REPLACE FUNCTION dw.ensure_partitions(months_ahead integer DEFAULT 3, from_month date DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    parent          record;
    first_month     date := date_trunc('month', coalesce(from_month, current_date))::date;
    last_month      date := (date_trunc('month', current_date) + make_interval(months => months_ahead))::date;
    month_start     date;
    month_end       date;
    partition_name  text;
    default_name    text;
    default_has_rows boolean;
    created         integer := 0;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 THEN
        RAISE EXCEPTION 'dw.ensure_partitions: months_ahead must be >= 0, got %', months_ahead
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    FOR parent IN
        SELECT * FROM (VALUES ('fact_sales_orders', 'order_date'),
                              ('fact_order_items', 'order_date'),
                              ('fact_product_metrics', 'metric_date')) AS p(table_name, date_column)
    LOOP
        default_name := parent.table_name || '_default';
        month_start := first_month;

        WHILE month_start <= last_month LOOP
            month_end := (month_start + interval '1 month')::date;
            partition_name := parent.table_name || '_p' || to_char(month_start, 'YYYY_MM');

            IF to_regclass(format('dw.%I', partition_name)) IS NULL THEN
                -- Rows of this month already in the DEFAULT partition would make CREATE fail;
                -- moving them is a decision for a DBA (docs/partitioning.md), so skip and warn.
                EXECUTE format('SELECT EXISTS (SELECT 1 FROM dw.%I WHERE %I >= %L AND %I < %L)',
                               default_name, parent.date_column, month_start, parent.date_column, month_end)
                INTO default_has_rows;

                IF default_has_rows THEN
                    RAISE WARNING 'dw.%: rows for % are in dw.%; partition not created (see docs/partitioning.md)',
                        partition_name, to_char(month_start, 'YYYY-MM'), default_name;
                ELSE
                    EXECUTE format('CREATE TABLE dw.%I PARTITION OF dw.%I FOR VALUES FROM (%L) TO (%L)',
                                   partition_name, parent.table_name, month_start, month_end);
                    -- As in 0010: only the parent is accessed (and protected by its policies).
                    EXECUTE format('REVOKE ALL ON dw.%I FROM PUBLIC, erp_writer, erp_reader', partition_name);
                    EXECUTE format('ALTER TABLE dw.%I ENABLE ROW LEVEL SECURITY', partition_name);
                    EXECUTE format('COMMENT ON TABLE dw.%I IS %L', partition_name,
                                   format('Partition of dw.%s for %s; accessed through the parent only.',
                                          parent.table_name, to_char(month_start, 'YYYY-MM')));
                    created := created + 1;
                END IF;
            END IF;

            month_start := month_end;
        END LOOP;
    END LOOP;

    RETURN created;
END
$$;

COMMENT ON FUNCTION dw.ensure_partitions(integer, date) IS
    'Creates the missing monthly partitions (<table>_pYYYY_MM) of dw.fact_sales_orders, dw.fact_order_items and dw.fact_product_metrics from from_month (default: this month) to this month + months_ahead. Idempotent; skips (with a WARNING) a month whose rows already sit in the DEFAULT partition. Returns the number created. Run as erp_owner, at least monthly.';
REVOKE EXECUTE ON FUNCTION dw.ensure_partitions(integer, date) FROM PUBLIC;

SELECT dw.ensure_partitions(3, DATE '2020-01-01');

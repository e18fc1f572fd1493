-- dw.ensure_partitions: creates the missing monthly partitions of the large facts, moving the rows
-- of that month out of the DEFAULT partition first (docs/partitioning.md). Run daily by the
-- pg_cron job ensure_partitions (sql/schedules) and by RefreshWorker.
-- requires: dw.fact_sales_orders, dw.fact_order_items, dw.fact_product_metrics and their DEFAULT
--           partitions (0005_facts_sales, 0011_partitions), dw.create_month_partition,
--           dw.reinsert_moved_rows, dw.business_date_problem
-- Moving a month, in the caller's transaction (the DEFAULT partition is locked meanwhile):
-- copy its rows to a temp table, delete them from DEFAULT, create the partition, insert them back
-- through the parent. PostgreSQL refuses to create a partition while DEFAULT holds rows of its
-- range. Nothing references a partition: rows naming an order are checked against the parent
-- (dw.check_order_references), so orders and lines move independently.

CREATE OR REPLACE FUNCTION dw.ensure_partitions(months_ahead integer DEFAULT 3, from_month date DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    first_month   date := date_trunc('month', coalesce(from_month, current_date))::date;
    last_month    date := (date_trunc('month', current_date) + make_interval(months => months_ahead))::date;
    month_start   date;
    month_end     date;
    orders_missing   boolean;
    items_missing    boolean;
    metrics_missing  boolean;
    move_orders   boolean;
    move_items    boolean;
    move_metrics  boolean;
    created       integer := 0;
    moved         bigint;
BEGIN
    -- Bounded, as a writer may call it: 120 months ahead, and from a plausible business date
    -- (dw.business_date_problem: not before 2000-01-01), hold any real data; a typo'd argument would
    -- otherwise create tens of thousands of partitions in one call.
    IF months_ahead IS NULL OR months_ahead NOT BETWEEN 0 AND 120 THEN
        RAISE EXCEPTION 'dw.ensure_partitions: months_ahead must be between 0 and 120, got %', months_ahead
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF dw.business_date_problem(from_month) IS NOT NULL THEN
        RAISE EXCEPTION 'dw.ensure_partitions: from_month % %', from_month, dw.business_date_problem(from_month)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- One caller at a time (the pg_cron job, each app's RefreshWorker, PartitionKeeper): two that both
    -- found a month missing each held what they had read of DEFAULT while creating the partition,
    -- which waits for every other hold on DEFAULT: a deadlock, one call rolled back. SHARE UPDATE
    -- EXCLUSIVE conflicts with itself but not with the inserts, updates and reads of DEFAULT; a table
    -- lock, not an advisory key, so a reader cannot take it first and stall the job. The second caller
    -- then finds the months the first created.
    LOCK TABLE dw.fact_sales_orders_default IN SHARE UPDATE EXCLUSIVE MODE;

    month_start := first_month;
    WHILE month_start <= last_month LOOP
        month_end := (month_start + interval '1 month')::date;
        orders_missing  := to_regclass(format('dw.fact_sales_orders_p%s', to_char(month_start, 'YYYY_MM'))) IS NULL;
        items_missing   := to_regclass(format('dw.fact_order_items_p%s', to_char(month_start, 'YYYY_MM'))) IS NULL;
        metrics_missing := to_regclass(format('dw.fact_product_metrics_p%s', to_char(month_start, 'YYYY_MM'))) IS NULL;
        move_orders  := orders_missing AND EXISTS (SELECT 1 FROM dw.fact_sales_orders_default AS d
                                                    WHERE d.order_date >= month_start AND d.order_date < month_end);
        move_items   := items_missing AND EXISTS (SELECT 1 FROM dw.fact_order_items_default AS d
                                                   WHERE d.order_date >= month_start AND d.order_date < month_end);
        move_metrics := metrics_missing AND EXISTS (SELECT 1 FROM dw.fact_product_metrics_default AS d
                                                     WHERE d.metric_date >= month_start AND d.metric_date < month_end);

        IF move_items THEN
            CREATE TEMP TABLE erpdb_moved_items ON COMMIT DROP AS
                SELECT * FROM dw.fact_order_items_default AS d WHERE d.order_date >= month_start AND d.order_date < month_end;
            DELETE FROM dw.fact_order_items_default AS d WHERE d.order_date >= month_start AND d.order_date < month_end;
        END IF;
        IF move_orders THEN
            CREATE TEMP TABLE erpdb_moved_orders ON COMMIT DROP AS
                SELECT * FROM dw.fact_sales_orders_default AS d WHERE d.order_date >= month_start AND d.order_date < month_end;
            -- A statement on a partition fires none of the parent's statement triggers: nothing
            -- cascades to the rows naming these orders (lines, movements, ...), which name them
            -- again once they are back.
            DELETE FROM dw.fact_sales_orders_default AS d WHERE d.order_date >= month_start AND d.order_date < month_end;
        END IF;
        IF move_metrics THEN
            CREATE TEMP TABLE erpdb_moved_metrics ON COMMIT DROP AS
                SELECT * FROM dw.fact_product_metrics_default AS d WHERE d.metric_date >= month_start AND d.metric_date < month_end;
            DELETE FROM dw.fact_product_metrics_default AS d WHERE d.metric_date >= month_start AND d.metric_date < month_end;
        END IF;

        IF orders_missing THEN
            PERFORM dw.create_month_partition('fact_sales_orders', month_start);
            created := created + 1;
        END IF;
        IF items_missing THEN
            PERFORM dw.create_month_partition('fact_order_items', month_start);
            created := created + 1;
        END IF;
        IF metrics_missing THEN
            PERFORM dw.create_month_partition('fact_product_metrics', month_start);
            created := created + 1;
        END IF;

        -- Back through the parents, orders before items; generated columns are recomputed.
        IF move_orders THEN
            moved := dw.reinsert_moved_rows('fact_sales_orders', 'erpdb_moved_orders');
            RAISE NOTICE 'dw.ensure_partitions: moved % rows of % from dw.fact_sales_orders_default', moved, to_char(month_start, 'YYYY-MM');
        END IF;
        IF move_items THEN
            moved := dw.reinsert_moved_rows('fact_order_items', 'erpdb_moved_items');
            RAISE NOTICE 'dw.ensure_partitions: moved % rows of % of dw.fact_order_items', moved, to_char(month_start, 'YYYY-MM');
        END IF;
        IF move_metrics THEN
            moved := dw.reinsert_moved_rows('fact_product_metrics', 'erpdb_moved_metrics');
            RAISE NOTICE 'dw.ensure_partitions: moved % rows of % from dw.fact_product_metrics_default', moved, to_char(month_start, 'YYYY-MM');
        END IF;

        month_start := month_end;
    END LOOP;

    RETURN created;
END
$$;

COMMENT ON FUNCTION dw.ensure_partitions(integer, date) IS
    'Creates the missing monthly partitions (<table>_pYYYY_MM) of dw.fact_sales_orders, dw.fact_order_items and dw.fact_product_metrics from from_month (default: this month) to this month + months_ahead, first moving that month''s rows out of the DEFAULT partition (in the caller''s transaction). Idempotent; returns the number of partitions created. Run daily by pg_cron and RefreshWorker; granted to erp_writer.';
REVOKE EXECUTE ON FUNCTION dw.ensure_partitions(integer, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.ensure_partitions(integer, date) TO erp_writer;

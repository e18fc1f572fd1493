using System.Globalization;
using Erp.Db.Ingest;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Ingest;

public class OrderIngestTests
{
    [Fact]
    public async Task The_same_batch_twice_inserts_once_then_changes_nothing()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        OrderRow[] batch = [IngestSample.Order("N-1"), IngestSample.Order("N-2", 20m), IngestSample.Order("N-3", 30m)];

        var first = await ingestor.UpsertOrdersAsync(batch);
        var after = await IngestSample.OrdersSnapshotAsync(db);
        var second = await ingestor.UpsertOrdersAsync(batch);

        Assert.Equal((3L, 0L, 0L), (first.Inserted, first.Updated, first.Unchanged));
        Assert.Equal((0L, 0L, 3L), (second.Inserted, second.Updated, second.Unchanged));
        Assert.Equal(after, await IngestSample.OrdersSnapshotAsync(db));
        Assert.Equal(7L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
        Assert.Equal(142.00m, await db.ScalarAsync<decimal>("SELECT gmv_cny FROM dw.fact_sales_orders WHERE order_no = 'N-2'"));
        Assert.Equal(new DateTime(2026, 3, 5, 1, 30, 0, DateTimeKind.Utc),
            await db.ScalarAsync<DateTime>("SELECT ordered_at FROM dw.fact_sales_orders WHERE order_no = 'N-1'"));
    }

    [Fact]
    public async Task Fields_first_given_after_the_rows_the_copy_learns_its_columns_from_are_stored_and_the_earlier_rows_keep_theirs_empty()
    {
        await using var db = await IngestSample.CreateAsync();
        // The COPY learns the fields from the first 1,000 rows; rows 1,100 and 1,200 give fields none of those gave.
        var rows = Enumerable.Range(1, 1_250).Select(n => IngestSample.Order($"W-{n}") with
        {
            PaymentVoucherId = n is 1_100 or 1_240 ? $"V-{n}" : null,
            DeliveredAt = n >= 1_200 ? new DateTimeOffset(2026, 3, 9, 12, 0, 0, TimeSpan.Zero) : null,
        });

        var result = await new Ingestor(db.DataSource).UpsertOrdersAsync(rows);

        Assert.Equal(1_250L, result.Inserted);
        Assert.Equal("W-1100,W-1240|51", await db.ScalarAsync<string>("""
            SELECT string_agg(order_no, ',' ORDER BY order_no) FILTER (WHERE payment_voucher_id = 'V-' || substr(order_no, 3))
                   || '|' || count(*) FILTER (WHERE delivered_at = TIMESTAMPTZ '2026-03-09 12:00Z')
            FROM dw.fact_sales_orders WHERE order_no LIKE 'W-%'
            """));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'W-%' AND substr(order_no, 3)::int < 1200 AND delivered_at IS NOT NULL"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'W-%' AND (payment_voucher_id IS NOT NULL) <> (order_no IN ('W-1100', 'W-1240'))"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1_001)]
    [InlineData(1_500)]
    public async Task A_null_row_before_or_after_the_copy_starts_is_named_and_nothing_is_saved(int nullRow)
    {
        await using var db = await IngestSample.CreateAsync();
        var rows = Enumerable.Range(1, 1_600).Select(n => n == nullRow ? null! : IngestSample.Order($"Z-{n}"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new Ingestor(db.DataSource).UpsertOrdersAsync(rows));

        Assert.StartsWith($"Row {nullRow} is null. Nothing of this batch was saved.", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'Z-%'"));
    }

    [Fact]
    public async Task A_batch_with_something_to_post_analyzes_the_partitions_it_filled_so_its_posting_knows_their_rows()
    {
        await using var db = await IngestSample.CreateAsync();
        const string Day = "SELECT * FROM dw.fact_sales_orders WHERE order_date = DATE '2026-03-05'";
        // gmv has no index: the batch analyses only the indexed columns and leaves the rest to autovacuum.
        const string GmvStatistics = "SELECT coalesce(string_agg(n_distinct || ' ' || most_common_vals::text, ''), 'none') FROM pg_stats WHERE schemaname = 'dw' AND tablename = 'fact_sales_orders_p2026_03' AND attname = 'gmv'";
        var before = await db.EstimatedRowsAsync(Day);
        var gmvBefore = await db.ScalarAsync<string>(GmvStatistics);

        // One invoiced order gives the batch a posting (its receivable); a batch with none skips it and its statistics.
        await new Ingestor(db.DataSource).UpsertOrdersAsync(Enumerable.Range(1, 500).Select(n =>
            IngestSample.Order($"B-{n}") with { IsInvoiced = n == 1, InvoiceId = n == 1 ? "INV-B" : null }));

        Assert.True(before < 100, $"the statistics should not know the batch before it, estimated {before}");
        Assert.True(await db.EstimatedRowsAsync(Day) > 300, "the batch should have analysed the partition it filled");
        Assert.Equal(gmvBefore, await db.ScalarAsync<string>(GmvStatistics));
    }

    /// <summary>
    /// The planner estimates joins with a partitioned table from the statistics of the parent as a whole, which autovacuum never
    /// gathers (ops.analyze_stale_parents): a batch first gives the orders theirs once they hold 1,000 rows, and again once they
    /// have grown by half. The partitions are analysed after each load, as autovacuum would, so the counts the check reads are known,
    /// once the load's connection has reported its rows (else the ANALYZE and the report later both count them, one row over the bar).
    /// </summary>
    [Fact]
    public async Task A_batch_first_gives_the_partitioned_orders_statistics_of_their_own_and_renews_them_after_they_grow_by_half()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        var sample = await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders");
        var loaded = 0;
        async Task<string> LoadAsync(int orders)
        {
            await ingest.UpsertOrdersAsync(Enumerable.Range(loaded, orders).Select(n => IngestSample.Order($"S-{n}")));
            loaded += orders;
            await db.CloseConnectionsAsync();
            await db.AnalyzePartitionsAsync("dw.fact_sales_orders");
            return (await db.ScalarAsync<string>("""
                SELECT c.reltuples::bigint || CASE WHEN EXISTS (SELECT 1 FROM pg_stats AS s WHERE s.schemaname = 'dw' AND s.tablename = 'fact_sales_orders' AND s.inherited)
                                                   THEN ' rows analysed' ELSE ' (never analysed)' END
                FROM pg_class AS c WHERE c.oid = 'dw.fact_sales_orders'::regclass
                """))!;
        }

        string[] parent = [await LoadAsync(999 - (int)sample), await LoadAsync(1), await LoadAsync(1), await LoadAsync(498), await LoadAsync(1), await LoadAsync(1), await LoadAsync(1)];

        // Each batch looks before it writes: 999 orders (the sample's among them), then 1,000, below the bar and at it; 1,001 to
        // 1,500 are not more than half again as many as the 1,000 analysed, 1,501 are.
        Assert.Equal(["-1 (never analysed)", "-1 (never analysed)", "1000 rows analysed", "1000 rows analysed", "1000 rows analysed", "1000 rows analysed", "1501 rows analysed"], parent);
    }

    [Theory]
    [InlineData(2_000, -1)]
    [InlineData(60_000, 10)]
    public async Task A_batch_table_is_analysed_whole_and_on_a_sample_once_larger_than_a_megabyte(int rows, int target)
    {
        await using var db = await IngestSample.CreateAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        async Task<string?> Run(string sql) => Convert.ToString(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        await Run("BEGIN");
        await Run("CREATE TEMP TABLE batch ON COMMIT DROP AS "
            + $"SELECT n AS row_no, 'B-' || n AS order_no, DATE '2026-03-01' + n % 20 AS order_date, repeat('x', 20) AS note FROM generate_series(1, {rows}) AS n");

        await Run("SELECT ops.analyze_batch('pg_temp.batch')");

        // Its size, its unique numbers and its 20 days, as the plans need them, from the whole table or its sample.
        Assert.Equal(rows.ToString(CultureInfo.InvariantCulture), await Run("SELECT reltuples::bigint FROM pg_class WHERE oid = 'pg_temp.batch'::regclass"));
        Assert.Equal("-1|20", await Run("SELECT max(n_distinct) FILTER (WHERE attname = 'order_no') || '|' || max(n_distinct) FILTER (WHERE attname = 'order_date') "
            + "FROM pg_stats WHERE tablename = 'batch' AND schemaname = pg_my_temp_schema()::regnamespace::text"));
        Assert.Equal($"{target}|4", await Run("SELECT min(attstattarget) || '|' || count(*) FROM pg_attribute "
            + "WHERE attrelid = 'pg_temp.batch'::regclass AND attnum > 0 AND attstattarget = " + target));
        await Run("ROLLBACK");
    }

    [Fact]
    public async Task A_partition_analysed_earlier_in_the_transaction_is_analysed_again_only_after_as_many_new_writes()
    {
        await using var db = await IngestSample.CreateAsync();
        const string Analyze = "SELECT ops.analyze_changed_partitions(indexed_columns_only => true)";
        static string Insert(string prefix, int count) =>
            "INSERT INTO dw.fact_sales_orders (merchant_id, shop_id, order_no, order_date, ordered_at, gmv, status) "
            + $"SELECT 1, 10, '{prefix}-' || n, DATE '2026-03-05', TIMESTAMPTZ '2026-03-05 09:30+08', 10, 'paid' FROM generate_series(1, {count}) AS n";
        await using var connection = await db.DataSource.OpenConnectionAsync();
        async Task<int> Run(string sql) => Convert.ToInt32(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync() ?? 0);

        await Run("BEGIN");
        await Run(Insert("A", 500));
        var first = await Run(Analyze);
        var again = await Run(Analyze);
        await Run(Insert("B", 50));
        var fewMore = await Run(Analyze);
        await Run(Insert("C", 500));
        var manyMore = await Run(Analyze);
        await Run("COMMIT");
        // The next transaction counts the committed writes, as before: the statistics of a column-restricted ANALYZE leave them.
        await Run("BEGIN");
        var nextTransaction = await Run(Analyze);
        await Run("COMMIT");

        Assert.Equal((1, 0, 0, 1, 1), (first, again, fewMore, manyMore, nextTransaction));
    }

    [Fact]
    public async Task A_batch_on_a_connection_that_used_a_temp_table_before_runs_with_the_buffers_it_has()
    {
        await using var db = await IngestSample.CreateAsync();
        // One physical connection: the pool hands the batch the session whose temp buffers its first temp table fixed at 8 MB.
        await using var single = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1 }.ConnectionString);
        var pid = await BackendAsync(single, "CREATE TEMP TABLE scratch (n int); INSERT INTO scratch VALUES (1); SELECT pg_backend_pid()");

        var result = await new Ingestor(single).UpsertOrdersAsync([IngestSample.Order("T-1"), IngestSample.Order("T-2")]);

        Assert.Equal(2L, result.Inserted);
        Assert.Equal(pid, await BackendAsync(single, "SELECT pg_backend_pid()"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'T-%'"));

        static async Task<object?> BackendAsync(NpgsqlDataSource dataSource, string sql)
        {
            await using var command = dataSource.CreateCommand(sql);
            return await command.ExecuteScalarAsync();
        }
    }

    [Theory]
    [InlineData(null, "256MB")]
    [InlineData("64MB", "256MB")]
    [InlineData("512MB", "512MB")]
    public async Task A_batch_runs_with_at_least_256MB_of_work_mem_and_keeps_a_session_s_larger_setting(string? session, string expected)
    {
        await using var db = await IngestSample.CreateAsync();
        // What the batch's own statements run with, seen from inside its transaction by a trigger of this test database.
        await db.ExecuteAsync("""
            CREATE TABLE public.seen_work_mem (setting text);
            CREATE FUNCTION public.note_work_mem() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN INSERT INTO public.seen_work_mem VALUES (current_setting('work_mem')); RETURN NULL; END $$;
            CREATE TRIGGER note_work_mem AFTER INSERT ON dw.fact_sales_orders FOR EACH STATEMENT EXECUTE FUNCTION public.note_work_mem();
            """);
        var connection = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Options = session is null ? null : $"-c work_mem={session}" };
        await using var dataSource = NpgsqlDataSource.Create(connection.ConnectionString);

        await new Ingestor(dataSource).UpsertOrdersAsync([IngestSample.Order("W-1")]);

        Assert.Equal(expected, await db.ScalarAsync<string>("SELECT string_agg(DISTINCT setting, ',') FROM public.seen_work_mem"));
    }

    [Fact]
    public async Task Counts_are_exact_for_new_changed_and_unchanged_rows()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        await ingestor.UpsertOrdersAsync([IngestSample.Order("N-1"), IngestSample.Order("N-2"), IngestSample.Order("N-3")]);

        var result = await ingestor.UpsertOrdersAsync(
        [
            IngestSample.Order("N-1"),
            IngestSample.Order("N-2", 99m) with { Status = "shipped", ShippedAt = new DateTimeOffset(2026, 3, 6, 8, 0, 0, TimeSpan.Zero) },
            IngestSample.Order("N-3"),
            IngestSample.Order("N-4"),
            IngestSample.Order("N-5"),
        ]);

        Assert.Equal((2L, 1L, 2L, 5L), (result.Inserted, result.Updated, result.Unchanged, result.Total));
        Assert.Equal("shipped", await db.ScalarAsync<string>("SELECT status FROM dw.fact_sales_orders WHERE order_no = 'N-2'"));
        Assert.Equal(702.90m, await db.ScalarAsync<decimal>("SELECT gmv_cny FROM dw.fact_sales_orders WHERE order_no = 'N-2'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'N-%' AND updated_at > created_at"));
    }

    [Fact]
    public async Task An_unknown_shop_rejects_the_batch_naming_row_field_and_constraint()
    {
        await using var db = await IngestSample.CreateAsync();
        var before = await IngestSample.OrdersSnapshotAsync(db);

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersAsync(
            [IngestSample.Order("N-1"), IngestSample.Order("N-2"), IngestSample.Order("N-3", shop: 99), IngestSample.Order("N-4", shop: 98)]));

        Assert.Equal(3, e.RowNumber);
        Assert.Equal("shop_id", e.Field);
        Assert.Equal("fact_sales_orders_shop_fkey", e.Constraint);
        Assert.Equal("Row 3: shop_id 99 is not a shop of merchant 1 (fact_sales_orders_shop_fkey). Nothing of this batch was saved.", e.Message);
        Assert.Equal(before, await IngestSample.OrdersSnapshotAsync(db));
    }

    [Fact]
    public async Task A_shop_of_another_merchant_is_an_unknown_shop()
    {
        await using var db = await IngestSample.CreateAsync();

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersAsync([IngestSample.Order("N-1", shop: 20)]));

        Assert.Equal((1L, "shop_id"), (e.RowNumber, e.Field));
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
    }

    [Fact]
    public async Task A_missing_order_no_rejects_the_batch()
    {
        await using var db = await IngestSample.CreateAsync();

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersAsync(
            [IngestSample.Order("N-1"), IngestSample.Order("")]));

        Assert.Equal((2L, "order_no"), (e.RowNumber, e.Field));
        Assert.StartsWith("Row 2: order_no is missing.", e.Message);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
    }

    [Fact]
    public async Task An_order_no_of_only_whitespace_is_missing_as_erpdb_import_reads_it()
    {
        // A char(n) column of another system pads an empty number with spaces; stored, it would be a key of blanks.
        await using var db = await IngestSample.CreateAsync();

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersAsync(
            [IngestSample.Order("N-1"), IngestSample.Order("   "), IngestSample.Order("\t"), IngestSample.Order(" N-2 ")]));

        Assert.Equal([(2L, "order_no"), (3L, "order_no")], e.Errors.Select(x => (x.RowNumber, x.Field)));
        Assert.StartsWith("Row 2: order_no is missing.", e.Message);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
    }

    [Fact]
    public async Task A_check_violation_deep_in_a_large_batch_is_found_by_bisection()
    {
        await using var db = await IngestSample.CreateAsync();
        // cost_amount_cny is not written straight from its field (an order's lines set it), so its CHECK is not asked before the
        // upsert (ConstraintChecks): the upsert meets it, and bisection finds the row.
        var batch = Enumerable.Range(1, 1000).Select(i => IngestSample.Order($"N-{i}", i) with { CostAmountCny = i == 777 ? -5m : 0m }).ToList();

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersAsync(batch));

        Assert.Equal(777, e.RowNumber);
        Assert.Equal("cost_amount_cny", e.Field);
        Assert.Equal("fact_sales_orders_cost_nonnegative", e.Constraint);
        Assert.StartsWith("Row 777: cost_amount_cny -5 violates CHECK ((cost_amount_cny >= (0)::numeric))", e.Message);
        Assert.Equal("23514", e.SqlState);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
    }

    [Fact]
    public async Task A_check_violation_among_stored_orders_updated_by_update_is_found_by_bisection_and_nothing_changes()
    {
        await using var db = await IngestSample.CreateAsync();
        var orders = Enumerable.Range(1, 1000).Select(i => IngestSample.Order($"N-{i}", i)).ToList();
        await new Ingestor(db.DataSource).UpsertOrdersAsync(orders);
        var before = await IngestSample.OrdersSnapshotAsync(db);
        // Every order stored, so the whole batch goes through the stored rows' UPDATE, as a batch of 10,000 or more does.
        var byUpdate = new Ingestor(db.DataSource).With(new IngestOptions { UpdateStoredMinRows = 1 });

        var e = await Assert.ThrowsAsync<IngestException>(() => byUpdate.UpsertOrdersAsync(
            orders.Select((o, i) => o with { Gmv = o.Gmv + 1, CostAmountCny = i == 776 ? -5m : 0m })));

        Assert.Equal((777L, "cost_amount_cny", "fact_sales_orders_cost_nonnegative"), (e.RowNumber, e.Field, e.Constraint));
        Assert.Equal(before, await IngestSample.OrdersSnapshotAsync(db));
    }

    [Fact]
    public async Task A_number_too_large_for_its_column_or_text_that_is_not_json_names_the_field_and_its_value()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        var orders = Enumerable.Range(1, 500).Select(i => IngestSample.Order($"N-{i}", i == 300 ? 1e17m : 10m)).ToList();
        var config = new PerformanceConfigRow(1, "shop_health_score", "Health", new DateOnly(2026, 1, 1)) { Weights = "{\"growth\": 0.3" };

        var overflow = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrdersAsync(orders));
        // Within gmv's precision, but gmv_cny = gmv x exchange_rate (a generated column) is not.
        var converted = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrdersAsync(
            [IngestSample.Order("N-BIG", 9999999999999999.99m) with { ExchangeRate = 100m }]));
        var json = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertPerformanceConfigsAsync([config]));

        Assert.Equal((300L, "gmv"), (overflow.RowNumber, overflow.Field));
        Assert.StartsWith("Row 300: gmv 100000000000000000 cannot be stored in gmv, a numeric(18,2) of at most 16 digits before the decimal point",
            overflow.Message, StringComparison.Ordinal);
        Assert.Equal((1L, "gmv, exchange_rate"), (converted.RowNumber, converted.Field));
        Assert.Contains("gmv 9999999999999999.99, exchange_rate 100 cannot be stored in gmv_cny, a numeric(18,2) of at most 16 digits", converted.Message, StringComparison.Ordinal);
        Assert.Equal((1L, "weights"), (json.RowNumber, json.Field));
        Assert.Contains("weights {\"growth\": 0.3 cannot be stored in weights, a jsonb: invalid input syntax for type json", json.Message, StringComparison.Ordinal);
        Assert.Equal("4|0", await db.ScalarAsync<string>(
            "SELECT (SELECT count(*) FROM dw.fact_sales_orders) || '|' || (SELECT count(*) FROM dw.cfg_performance_configs WHERE config_name = 'Health')"));
    }

    [Fact]
    public async Task A_corrected_date_moves_an_order_only_when_the_books_hold_its_number_once()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        await ingestor.UpsertOrdersAsync([On("M-1", 5), On("M-3", 5), On("M-4", 5)]);
        // M-4 stored twice, as a warehouse loaded before the batch check below (or by hand) may hold it.
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, order_no, status, gmv, currency_code, exchange_rate, ordered_at)
            SELECT merchant_id, order_date + 1, shop_id, order_no, status, gmv, currency_code, exchange_rate, ordered_at + interval '1 day'
            FROM dw.fact_sales_orders WHERE order_no = 'M-4'
            """);
        var ids = await db.ScalarAsync<string>("SELECT string_agg(order_no || '=' || order_id, ',' ORDER BY order_no, order_date) FROM dw.fact_sales_orders WHERE order_no LIKE 'M-%'");

        // M-1 moves; M-3 is unchanged; M-4 is stored twice (no move: which order?).
        var result = await ingestor.UpsertOrdersAsync([On("M-1", 7), On("M-3", 5), On("M-4", 9)]);

        Assert.Equal((1L, 1L, 1L), (result.Inserted, result.Updated, result.Unchanged));
        Assert.Equal("M-1=7,M-3=5,M-4=5,M-4=6,M-4=9", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || '=' || extract(day FROM order_date), ',' ORDER BY order_no, order_date) FROM dw.fact_sales_orders WHERE order_no LIKE 'M-%'"));
        Assert.StartsWith(ids!.Split(',')[0], await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || '=' || order_id, ',' ORDER BY order_no, order_date) FROM dw.fact_sales_orders WHERE order_no LIKE 'M-%'"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_number_under_two_dates_in_one_batch_is_refused_naming_each_row_and_nothing_is_stored()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        await ingestor.UpsertOrdersAsync([On("M-2", 5)]);

        // Two orders M-2 would each post a receivable, and a payment naming M-2 would fit neither; a stored M-2 would not move.
        var e = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrdersAsync([On("M-1", 7), On("M-2", 5), On("M-2", 8)]));

        Assert.Equal([(2L, "order_date"), (3L, "order_date")], e.Errors.Select(x => (x.RowNumber, x.Field)));
        Assert.All(e.Errors, x => Assert.Equal("order_no M-2 is in this file under more than one order_date (2026-03-05, 2026-03-08): an order number names one order of its shop; give it once, under its date", x.Reason));
        Assert.Equal("M-2=5", await db.ScalarAsync<string>("SELECT string_agg(order_no || '=' || extract(day FROM order_date), ',') FROM dw.fact_sales_orders WHERE order_no LIKE 'M-%'"));
    }

    private static OrderRow On(string orderNo, int day) =>
        IngestSample.Order(orderNo) with
        {
            OrderDate = new DateOnly(2026, 3, day),
            OrderedAt = new DateTimeOffset(2026, 3, day, 9, 30, 0, TimeSpan.FromHours(8)),
            PaidAt = new DateTimeOffset(2026, 3, day, 9, 35, 0, TimeSpan.FromHours(8)),
        };

    [Fact]
    public async Task A_key_twice_in_one_batch_names_both_rows()
    {
        await using var db = await IngestSample.CreateAsync();

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersAsync(
            [IngestSample.Order("N-1"), IngestSample.Order("N-2"), IngestSample.Order("N-3"), IngestSample.Order("N-2", 5m)]));

        Assert.Equal(4, e.RowNumber);
        Assert.Contains("same as row 2", e.Message);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
    }

    [Fact]
    public async Task A_stored_key_twice_with_its_stored_values_is_a_repeated_key_too_not_two_unchanged_rows()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        await ingestor.UpsertOrdersAsync([IngestSample.Order("D-1")]);

        var again = await ingestor.UpsertOrdersAsync([IngestSample.Order("D-1")]);
        var e = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrdersAsync([IngestSample.Order("D-2"), IngestSample.Order("D-1"), IngestSample.Order("D-1")]));

        Assert.Equal(1L, again.Unchanged);
        Assert.Equal((3L, 2L), (e.RowNumber, e.Errors[0].SameKeyAsRow));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no = 'D-2'"));
    }

    [Fact]
    public async Task Every_row_breaking_a_rule_of_the_table_is_named_at_once_with_the_rule()
    {
        await using var db = await IngestSample.CreateAsync();
        var before = await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders");

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersAsync(
            [IngestSample.Order("C-1", -1m), IngestSample.Order("C-2"), IngestSample.Order("C-3", -2m),
             IngestSample.Order("C-4") with { Status = "bogus" }, IngestSample.Order("C-5") with { ShippingFee = -3m }]));

        Assert.Equal(
            [(1L, "gmv", "fact_sales_orders_gmv_nonnegative"), (3L, "gmv", "fact_sales_orders_gmv_nonnegative"),
             (4L, "status", "fact_sales_orders_status_known"), (5L, "platform_commission, payment_fee, shipping_fee", "fact_sales_orders_fees_nonnegative")],
            e.Errors.Select(x => (x.RowNumber, x.Field, x.Constraint)));
        Assert.Equal("gmv -1 is not allowed: the rule is gmv >= 0", e.Errors[0].Reason);
        Assert.StartsWith("status bogus is not allowed: the rule is status IN ('pending', 'paid'", e.Errors[2].Reason, StringComparison.Ordinal);
        Assert.Equal(before, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
    }

    [Fact]
    public async Task Every_row_failing_a_check_is_named_in_row_order_whether_the_check_asks_the_row_alone_or_other_tables()
    {
        await using var db = await IngestSample.CreateAsync();
        var early = new DateOnly(1999, 12, 31);

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersAsync(
            [IngestSample.Order(""), IngestSample.Order("F-2"),
             IngestSample.Order("F-3") with { OrderDate = early, OrderedAt = new DateTimeOffset(early.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8)) },
             IngestSample.Order("F-4", shop: 99), IngestSample.Order("") with { CurrencyCode = "XXX", OrderDate = new DateOnly(2026, 3, 6), OrderedAt = new DateTimeOffset(2026, 3, 6, 9, 30, 0, TimeSpan.FromHours(8)) }]));

        Assert.Equal([(1L, "order_no"), (3L, "order_date"), (4L, "shop_id"), (5L, "order_no"), (5L, "currency_code")],
            e.Errors.Select(x => (x.RowNumber, x.Field)));
    }

    [Fact]
    public async Task Async_input_is_streamed_and_counted()
    {
        await using var db = await IngestSample.CreateAsync();
        var rows = IngestSample.Async(Enumerable.Range(1, 2500).Select(i => IngestSample.Order($"S-{i:D5}", i)));

        var result = await new Ingestor(db.DataSource).UpsertOrdersAsync(rows);

        Assert.Equal((2500L, 0L, 0L), (result.Inserted, result.Updated, result.Unchanged));
        Assert.Equal(2500L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'S-%'"));
        Assert.Equal(3126250.00m, await db.ScalarAsync<decimal>("SELECT sum(gmv) FROM dw.fact_sales_orders WHERE order_no LIKE 'S-%'"));
    }

    [Fact]
    public async Task An_empty_batch_does_nothing()
    {
        await using var db = await IngestSample.CreateAsync();

        var result = await new Ingestor(db.DataSource).UpsertOrdersAsync([]);

        Assert.Equal(0L, result.Total);
    }

    [Fact]
    public async Task A_real_erp_writer_login_can_ingest_through_ErpDatabase()
    {
        await using var db = await IngestSample.CreateAsync();
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var erp = new ErpDatabase(writer.DataSource);

        var orders = await erp.Ingest.UpsertOrdersAsync([IngestSample.Order("W-1"), IngestSample.Order("W-2")]);
        var items = await erp.Ingest.UpsertOrderItemsAsync([IngestSample.Item("W-1", 1), IngestSample.Item("W-1", 2), IngestSample.Item("W-2", 1)]);
        var again = await erp.Ingest.UpsertOrdersAsync([IngestSample.Order("W-1"), IngestSample.Order("W-2", 11m)]);

        Assert.Equal(2L, orders.Inserted);
        Assert.Equal(3L, items.Inserted);
        Assert.Equal((0L, 1L, 1L), (again.Inserted, again.Updated, again.Unchanged));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items WHERE order_id IN (SELECT order_id FROM dw.fact_sales_orders WHERE order_no LIKE 'W-%')"));
    }
}

using System.Globalization;
using CsCheck;
using Erp.Db.Queries;
using Erp.Db.Queries.Customers;
using Erp.Db.Queries.Finance;
using Erp.Db.Queries.Inventory;
using Erp.Db.Queries.Products;
using Erp.Db.Queries.Reports;
using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Trends;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Ingest;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Faults;

/// <summary>
/// Hostile input, generated, over every option of the BI commands and import and over the library's
/// query objects: the answer is a validation error (exit 2) or a correct result (or, for a merchant id this
/// login was not granted, FORBIDDEN: exit 7), never anything else, and the database is unchanged. A failure
/// prints the CsCheck seed that reproduces it.
/// </summary>
/// <remarks>The query tests share one sales dataset (<see cref="SharedQueryFixture"/>): each checks that it changed nothing.</remarks>
public class HostileInputTests(SharedQueryFixture shared) : IClassFixture<SharedQueryFixture>
{
    /// <summary>Every value-taking option of every BI command (the global --connection aside).</summary>
    private static readonly (string Command, string Option)[] BiOptions =
    [
        ("sales", "--merchant"), ("sales", "--days"), ("sales", "--start"), ("sales", "--end"), ("sales", "--group-by"), ("sales", "--limit"), ("sales", "--platform"),
        ("products", "--merchant"), ("products", "--platform"), ("products", "--category"), ("products", "--status"), ("products", "--stock-status"),
        ("products", "--min-price"), ("products", "--max-price"), ("products", "--keyword"), ("products", "--sort-by"), ("products", "--order"),
        ("products", "--page"), ("products", "--page-size"),
        ("customers", "--merchant"), ("customers", "--segment"), ("customers", "--period"), ("customers", "--sort-by"), ("customers", "--limit"),
        ("inventory", "--merchant"), ("inventory", "--status"), ("inventory", "--threshold"), ("inventory", "--category"), ("inventory", "--sort-by"),
        ("inventory", "--page"), ("inventory", "--page-size"),
        ("trends", "--merchant"), ("trends", "--grain"), ("trends", "--days"), ("trends", "--start"), ("trends", "--end"),
        ("finance", "--merchant"), ("finance", "--days"), ("finance", "--start"), ("finance", "--end"),
        ("report", "--merchant"), ("report", "--type"), ("report", "--date"),
        ("sales", "--format"), ("products", "--format"),
    ];

    [Fact]
    public async Task Hostile_values_for_every_BI_option_give_a_validation_error_or_a_result_and_change_nothing()
    {
        var f = await shared.GetAsync();
        var before = await DatabaseChecksum.ReadAsync(f.Db);

        await Gen.Select(Gen.OneOf(BiOptions), Hostile.Text).SampleAsync(async (target, value) =>
        {
            string[] args = target.Option == "--merchant"
                ? [target.Command, target.Option, value, "--format", "json", "--connection", f.Db.ConnectionString]
                : [target.Command, "--merchant", "1", target.Option, value, "--format", "json", "--connection", f.Db.ConnectionString];
            if (target.Option == "--format")
            {
                args = [target.Command, "--merchant", "1", "--connection", f.Db.ConnectionString, "--format", value];
            }
            var run = await CliRun.RunAsync(args);
            if (target.Option == "--merchant" && run.ExitCode == 7)
            {
                // A well-formed id of a merchant this login was not granted: refused, whether it exists or not.
                Assert.Equal("FORBIDDEN", run.Json().GetProperty("error").GetProperty("code").GetString());
                return;
            }
            AssertValidationErrorOrSuccess(run, target.Option == "--format" && !value.Equals("json", StringComparison.OrdinalIgnoreCase));
        }, seed: Hostile.Seed, iter: Hostile.Iterations * 4, threads: 1, print: t => $"{t.Item1} = {Printable(t.Item2)}");

        Assert.Equal(before, await DatabaseChecksum.ReadAsync(f.Db));
    }

    private static readonly string[] OrderColumns = ["merchant_id", "shop_id", "order_no", "order_date", "ordered_at", "gmv", "status", "currency_code", "exchange_rate"];

    private static readonly string[] ValidOrder = ["1", "10", "H-1", "2026-03-05", "2026-03-05T09:30:00Z", "10.5", "paid", "CNY", "1"];

    [Fact]
    public async Task Hostile_cells_entities_and_paths_for_import_are_rejected_whole_or_stored_exactly()
    {
        await using var db = await IngestSample.CreateAsync();
        var dir = Path.Combine(Path.GetTempPath(), $"erpdb-hostile-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            // A number, id or date column given a value that is not one: the whole file is rejected and nothing changes.
            var before = await DatabaseChecksum.ReadAsync(db);
            await Gen.Select(Gen.OneOf(0, 1, 3, 4, 5, 8), Hostile.Text.Where(NotANumberOrDate)).SampleAsync(async (column, value) =>
            {
                var file = Path.Combine(dir, "orders.csv");
                var cells = ValidOrder.ToArray();
                cells[column] = value;
                await Hostile.WriteFileAsync(file, string.Join(",", OrderColumns) + "\n" + string.Join(",", cells.Select(Hostile.CsvField)) + "\n");
                var run = await CliRun.RunAsync("import", "orders", file, "--format", "json", "--connection", db.ConnectionString);
                Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Output}{run.Error}");
                Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
            }, seed: Hostile.Seed, iter: Hostile.Iterations * 2, threads: 1, print: t => $"{OrderColumns[t.Item1]} = {Printable(t.Item2)}");

            // Hostile entity names and file paths: a validation error, nothing read or written.
            await Gen.Select(Hostile.Text, Hostile.Text).SampleAsync(async (entity, path) =>
            {
                var run = await CliRun.RunAsync("import", entity, path, "--format", "json", "--connection", db.ConnectionString);
                AssertValidationErrorOrSuccess(run, plainText: false, allowSuccess: false);
            }, seed: Hostile.Seed, iter: Hostile.Iterations, threads: 1, print: t => $"import {Printable(t.Item1)} {Printable(t.Item2)}");
            Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));

            // A text column given anything: rejected, or stored exactly as written.
            await Gen.Select(Gen.OneOf(2, 6, 7), Hostile.Text).SampleAsync(async (column, value) =>
            {
                var file = Path.Combine(dir, "orders.csv");
                var cells = ValidOrder.ToArray();
                cells[column] = value;
                await Hostile.WriteFileAsync(file, string.Join(",", OrderColumns) + "\n" + string.Join(",", cells.Select(Hostile.CsvField)) + "\n");
                var snapshot = await DatabaseChecksum.ReadAsync(db);
                var run = await CliRun.RunAsync("import", "orders", file, "--format", "json", "--connection", db.ConnectionString);
                AssertValidationErrorOrSuccess(run, plainText: false);
                if (run.ExitCode == 2)
                {
                    Assert.Equal(snapshot, await DatabaseChecksum.ReadAsync(db));
                }
                else if (column == 2)
                {
                    await using var command = db.DataSource.CreateCommand("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no = $1");
                    command.Parameters.AddWithValue(value.Trim());
                    Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
                }
            }, seed: Hostile.Seed, iter: Hostile.Iterations, threads: 1, print: t => $"{OrderColumns[t.Item1]} = {Printable(t.Item2)}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Hostile_query_objects_give_a_validation_exception_or_a_correct_result_and_change_nothing()
    {
        var f = await shared.GetAsync();
        var q = f.Erp.Queries;
        var before = await DatabaseChecksum.ReadAsync(f.Db);
        var ints = Gen.Frequency((3, (IGen<int>)Gen.OneOf(0, -1, 1, 100, 101, 500, 501, 3660, 3661, int.MaxValue, int.MinValue)), (1, Gen.Int));
        var longs = Gen.Frequency((3, (IGen<long>)Gen.OneOf(0L, -1L, 1L, long.MaxValue, long.MinValue)), (1, Gen.Long));
        var decimals = Gen.Frequency((3, (IGen<decimal>)Gen.OneOf(0m, -1m, 0.0000001m, decimal.MaxValue, decimal.MinValue)), (1, Gen.Decimal));
        var dates = Gen.Frequency((3, (IGen<DateOnly>)Gen.OneOf(DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(1969, 12, 31), QueryFixture.Today)), (1, Gen.DateOnly));
        var text = Gen.Frequency((1, (IGen<string?>)Gen.Const<string?>(default(string))), (4, Hostile.Text.Select(s => (string?)s)));

        await Gen.Select(Gen.Int[0, 7], Gen.Select(ints, ints, longs), Gen.Select(decimals, decimals, dates, dates), Gen.Select(text, text))
            .SampleAsync(async (which, numbers, values, texts) =>
            {
                var (i1, i2, l1) = numbers;
                var (d1, d2, day1, day2) = values;
                var (t1, t2) = texts;
                var merchant = which == 7 ? l1 : 1;
                try
                {
                    switch (which)
                    {
                        case 0:
                            var products = await q.ProductsAsync(new ProductQuery
                            {
                                MerchantId = merchant,
                                Platform = t2,
                                Status = t2,
                                StockStatus = t2,
                                CategoryId = l1 == 0 ? null : l1,
                                MinPrice = d1,
                                MaxPrice = d2,
                                Keyword = t1,
                                SortBy = (ProductSort)(i1 % 12),
                                Direction = (SortDirection)(i2 % 3),
                                Paging = new Paging(i1, i2),
                            });
                            var keyword = t1?.Trim();
                            Assert.All(products.Data.Items, p => Assert.True(string.IsNullOrEmpty(keyword)
                                || p.Sku.Contains(keyword, StringComparison.OrdinalIgnoreCase) || p.Name.Contains(keyword, StringComparison.OrdinalIgnoreCase)));
                            break;
                        case 1:
                            await q.SalesAsync(new SalesQuery { MerchantId = merchant, Period = new Period(day1, day2), GroupBy = (SalesGrouping)(i1 % 9), TopProducts = i2, Platforms = t1 is null ? null : [t1, t2 ?? ""] });
                            break;
                        case 2:
                            await q.CustomersAsync(new CustomerQuery { MerchantId = merchant, Segment = (CustomerSegment)(i1 % 8), SortBy = (CustomerSort)(i2 % 5), Limit = i1, PeriodDays = i2 });
                            break;
                        case 3:
                            await q.InventoryAsync(new InventoryQuery
                            {
                                MerchantId = merchant,
                                Status = (StockFilter)(i1 % 6),
                                Threshold = i2,
                                CategoryId = l1,
                                OverstockDays = i1,
                                SortBy = (InventorySort)(i2 % 6),
                                Paging = new Paging(i1, i2),
                            });
                            break;
                        case 4:
                            await q.TrendsAsync(new TrendQuery { MerchantId = merchant, Period = new Period(day1, day2), Grain = (Granularity)(i1 % 5) });
                            break;
                        case 5:
                            await q.FinanceAsync(new FinanceQuery { MerchantId = merchant, Period = Period.LastDays(i1, day1) });
                            break;
                        case 6:
                            await q.ReportAsync(new ReportQuery { MerchantId = merchant, Type = (ReportType)(i1 % 5), Date = day1 });
                            break;
                        default:
                            await q.SalesAsync(new SalesQuery { MerchantId = merchant, Period = Period.LastDays(7, QueryFixture.Today) });
                            break;
                    }
                }
                catch (QueryValidationException)
                {
                    // The expected answer to bad input.
                }
            }, seed: Hostile.Seed, iter: Hostile.Iterations * 4, threads: 1);

        Assert.Equal(before, await DatabaseChecksum.ReadAsync(f.Db));
    }

    /// <summary>
    /// A word that only starts like a help option (an entity or path typed by mistake, or hostile; the first found by the
    /// generator above) is refused. With short options bundled, "-?B..." read as "-?" and "-B...", and erpdb printed help and exited 0.
    /// </summary>
    [Theory]
    [InlineData("-?B%)_9]RvBV+78j7it3Q+xwuD0:!32 ~:")]
    [InlineData("-hx")]
    public async Task A_word_that_only_starts_like_a_help_option_is_refused_not_answered_with_help(string entity)
    {
        var run = await CliRun.RunAsync("import", entity, "1e400", "--format", "json", "--connection", "Host=127.0.0.1;Port=1");
        var help = await CliRun.RunAsync("import", "-?");

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Output}{run.Error}");
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
        // Taken by the entity argument, a word that starts with '-' is reported as the option it looks like.
        Assert.Contains($"Unrecognized option '{entity}'", run.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, help.ExitCode);
        Assert.StartsWith("Description:", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_last_N_days_period_ending_at_the_edge_of_the_calendar_is_a_validation_error()
    {
        var f = await shared.GetAsync();

        var run = await CliRun.RunAsync("sales", "--merchant", "1", "--end", "0001-01-01", "--days", "5", "--format", "json", "--connection", f.Db.ConnectionString);

        Assert.Equal("end", Assert.Throws<QueryValidationException>(() => Period.LastDays(2, DateOnly.MinValue)).Field);
        Assert.Equal("end", Assert.Throws<QueryValidationException>(() => Period.LastDays(2, DateOnly.MaxValue)).Field);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
    }

    // A blank cell (whitespace, NEL included, is trimmed) is not hostile: it takes the column's default.
    private static bool NotANumberOrDate(string value) =>
        !string.IsNullOrWhiteSpace(value)
        && !decimal.TryParse(value, NumberStyles.Any, CultureInfo.InvariantCulture, out _)
        && !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
        && !DateOnly.TryParse(value, CultureInfo.InvariantCulture, out _);

    private static void AssertValidationErrorOrSuccess(CliRun run, bool plainText, bool allowSuccess = true)
    {
        if (plainText)
        {
            Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Output}{run.Error}");
            return;
        }
        if (run.ExitCode == 0 && allowSuccess)
        {
            Assert.True(run.Json().GetProperty("success").GetBoolean());
            return;
        }
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Output}{run.Error}");
        var json = run.Json();
        Assert.False(json.GetProperty("success").GetBoolean());
        Assert.Contains(json.GetProperty("error").GetProperty("code").GetString(), new[] { "VALIDATION_ERROR", "NOT_FOUND" });
    }

    private static string Printable(string? value) => value is null ? "null"
        : value.Length > 80 ? $"'{Escape(value[..80])}'... ({value.Length} chars)" : $"'{Escape(value)}'";

    private static string Escape(string value) => string.Concat(value.Select(c => c < ' ' || char.IsSurrogate(c) || c > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}

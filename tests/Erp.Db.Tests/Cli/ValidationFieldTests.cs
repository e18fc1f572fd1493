using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Cli;

/// <summary>A value the query refuses is named as the option the user typed, in the message and in details.field, never as a library parameter.</summary>
/// <remarks>The tests that only read the sales dataset share one (<see cref="SharedQueryFixture"/>); those that change it, add logins or hold locks have their own.</remarks>
public class ValidationFieldTests(SharedQueryFixture shared) : IClassFixture<SharedQueryFixture>
{
    [Theory]
    [InlineData("--limit", "--limit must be between 0 and 100; got 101.", "sales", "--limit", "101")]
    [InlineData("--platform", "--platform: 'nope' is not a platform. Known: ", "sales", "--platform", "shopee", "--platform", "nope")]
    [InlineData("--platform", "--platform: 'nope' is not a platform. Known: ", "sales", "--platform", "shopee,nope")]
    [InlineData("--from", "--from: the start 2026-05-02 is after the end 2026-05-01.", "sales", "--from", "2026-05-02", "--to", "2026-05-01")]
    [InlineData("--days", "--days must be between 1 and 3660; got 0.", "trends", "--days", "0")]
    [InlineData("--page-size", "--page-size must be between 1 and 500; got 0.", "products", "--page-size", "0")]
    [InlineData("--min-price", "--min-price: the price range 5..1 is not valid: prices are >= 0 and min <= max.", "products", "--min-price", "5", "--max-price", "1")]
    [InlineData("--status", "--status: 'bogus' is not a listing status: active, inactive, out_of_stock, banned, deleted.", "products", "--status", "bogus")]
    [InlineData("--stock-status", "--stock-status: 'lots' is not a stock status: ", "products", "--stock-status", "lots")]
    [InlineData("--limit", "--limit must be between 1 and 500; got 0.", "customers", "--limit", "0")]
    [InlineData("--threshold", "--threshold must be between 0 and 1000000; got -1.", "inventory", "--threshold", "-1")]
    [InlineData("--days", "--days and --start together: give the period as --start with --end (default today), or as --days up to --end, not both "
        + "(--days 3 from --start 2026-05-01 is --start 2026-05-01 --end 2026-05-03).", "sales", "--start", "2026-05-01", "--days", "3")]
    [InlineData("--days", "--days and --from together: ", "profit", "--days", "7", "--from", "2026-05-01", "--to", "2026-05-31")]
    public async Task A_refused_value_names_the_option_typed(string field, string message, params string[] args)
    {
        var f = await shared.GetAsync();

        var run = await CliRun.RunAsync([.. args, "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString]);

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.StartsWith(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(field, error.GetProperty("details").GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("NOT_FOUND", "sales", "--merchant", "99")]
    [InlineData("NOT_FOUND", "inventory", "--merchant", "no_such_code")]
    [InlineData("VALIDATION_ERROR", "trends")]
    public async Task A_merchant_error_names_the_option_and_lists_the_merchants_as_data(string code, params string[] args)
    {
        var f = await shared.GetAsync();
        var merchants = await f.Db.ScalarAsync<string>("SELECT string_agg(merchant_id || ' ' || merchant_code, ', ' ORDER BY (merchant_id || ' ' || merchant_code) COLLATE \"C\") FROM dw.dim_merchants");

        var run = await CliRun.RunAsync([.. args, "--format", "json", "--connection", f.Db.ConnectionString]);

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        var details = error.GetProperty("details");
        Assert.Equal("--merchant", details.GetProperty("field").GetString());
        Assert.Equal(merchants, string.Join(", ", details.GetProperty("merchants").EnumerateArray()
            .Select(m => $"{m.GetProperty("merchantId").GetInt64()} {m.GetProperty("code").GetString()}").Order(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("refresh", "--merchant", "1")]
    [InlineData("import", "orders", "--bogus", "orders.csv")]
    [InlineData("refresh", "-m")]
    public async Task An_option_the_command_lacks_is_refused_as_one_not_taken_as_a_value(params string[] args)
    {
        var f = await shared.GetAsync();
        var typed = args.First(a => a.StartsWith('-'));
        var journal = await f.Db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log");

        var run = await CliRun.RunAsync([.. args, "--format", "json", "--connection", f.Db.ConnectionString]);

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.StartsWith($"Unrecognized option '{typed}'.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(journal, await f.Db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log"));
    }
}

using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Cli;

/// <summary>What a parse error quotes back keeps no password, and no value is read from a file unless an option says so.</summary>
public class EchoedInputTests(SharedQueryFixture shared) : IClassFixture<SharedQueryFixture>
{
    private const string Secret = "s3cret-Pw";

    [Theory]
    [InlineData("json", "sales", "--conection", "Host=db;Database=erp;Username=app;Password=" + Secret)]
    [InlineData("table", "sales", "--conection", "Host=db;Database=erp;Username=app;Password=" + Secret)]
    [InlineData("json", "sales", "--merchant", "1", "stray", "host=db dbname=erp user=app password='" + Secret + " x'")]
    [InlineData("json", "profit", "--merchant", "1", "postgresql://app:" + Secret + "@db:5432/erp")]
    [InlineData("table", "finance", "--merchant", "1", "Host=db;SSL Password=" + Secret + ";Pwd=" + Secret)]
    [InlineData("json", "finance", "--merchant", "1", "Host=db;Psw=" + Secret)]
    [InlineData("json", "finance", "--merchant", "1", "PGPASSWORD=" + Secret)]
    [InlineData("json", "finance", "--merchant", "1", "Host=db;Password=x " + Secret + ";Database=erp")]
    public async Task A_connection_string_left_over_in_a_parse_error_is_quoted_without_its_password(string format, params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--format", format]);

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain(Secret, run.Output + run.Error, StringComparison.Ordinal);
        Assert.Contains("***", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--merchant")]
    [InlineData("--sku")]
    public async Task A_connection_string_given_as_an_options_value_is_quoted_back_without_its_password(string option)
    {
        var f = await shared.GetAsync();
        string[] merchant = option == "--merchant" ? [] : ["--merchant", "1"];

        var run = await CliRun.RunAsync(["inventory", option, $"Host=db;Username=app;Password={Secret}", .. merchant, "--format", "json", "--connection", f.Db.ConnectionString]);

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain(Secret, run.Output + run.Error, StringComparison.Ordinal);
        Assert.Contains("Password=***", run.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_of_a_file_that_is_no_table_says_so_without_quoting_its_first_line()
    {
        var f = await shared.GetAsync();
        var file = Path.Combine(Path.GetTempPath(), $"erpdb-echo-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, $"{Secret}\nPGPASSWORD={Secret}\n");
        try
        {
            var run = await CliRun.RunAsync("import", "orders", file, "--format", "json", "--connection", f.Db.ConnectionString);

            Assert.Equal(2, run.ExitCode);
            // Not even as the column name a header cell would become (lower case, '-' as '_').
            Assert.DoesNotContain("s3cret", run.Output + run.Error, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("the first line is not a header of orders: none of its 1 cell(s) names one of its columns",
                run.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/proc/self/environ")]
    [InlineData("{linked}/self/environ")]
    public async Task An_import_of_a_device_or_kernel_file_is_refused_before_reading_it(string path)
    {
        var f = await shared.GetAsync();
        // A folder linked to /proc: the file is found by the link's target, not by the path's last name.
        var linked = Path.Combine(Path.GetTempPath(), $"erpdb-proc-{Guid.NewGuid():N}");
        Directory.CreateSymbolicLink(linked, "/proc");
        path = path.Replace("{linked}", linked, StringComparison.Ordinal);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var run = await CliRun.RunAsync(null, guard.Token, "import", "products", path, "--format", "json", "--connection", f.Db.ConnectionString);

            Assert.Equal(2, run.ExitCode);
            Assert.StartsWith($"{path} is a device or system file (/", run.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(linked);
        }
    }

    [Fact]
    public async Task A_cell_longer_than_any_a_table_holds_is_refused_naming_its_line()
    {
        var f = await shared.GetAsync();
        var file = Path.Combine(Path.GetTempPath(), $"erpdb-echo-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, $"merchant_id,sku,product_name\n1,X-1,{new string('a', 100_001)}\n");
        try
        {
            var run = await CliRun.RunAsync("import", "products", file, "--dry-run", "--format", "json", "--connection", f.Db.ConnectionString);

            Assert.Equal(2, run.ExitCode);
            var problem = run.Json().GetProperty("error").GetProperty("details").GetProperty("problems")[0];
            Assert.Equal(2, problem.GetProperty("line").GetInt64());
            Assert.StartsWith("a cell is longer than 100,000 characters", problem.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.True(run.Output.Length < 10_000, $"the answer quotes the cell: {run.Output.Length} characters");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_value_starting_with_at_is_the_value_not_the_words_of_a_file()
    {
        var f = await shared.GetAsync();
        var file = Path.Combine(Path.GetTempPath(), $"erpdb-echo-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, $"db:5432:erp:owner:{Secret}\n");
        try
        {
            var run = await CliRun.RunAsync("inventory", "--sku", "@" + file, "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString);

            Assert.Equal(2, run.ExitCode);
            Assert.DoesNotContain(Secret, run.Output + run.Error, StringComparison.Ordinal);
            var error = run.Json().GetProperty("error");
            Assert.Equal("--sku", error.GetProperty("details").GetProperty("field").GetString());
            Assert.Contains("@" + file, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

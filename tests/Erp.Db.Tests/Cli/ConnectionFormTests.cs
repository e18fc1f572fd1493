using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// The connection strings a DBA's other tools give: psql's keyword=value pairs and the postgresql:// URI of DATABASE_URL,
/// as well as Npgsql's own; each reaches the same database, and no form ever prints its password.
/// </summary>
public class ConnectionFormTests
{
    [Fact]
    public async Task A_libpq_uri_and_keyword_value_pairs_reach_the_database_as_the_npgsql_form_does()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var npgsql = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        var password = npgsql.Password ?? "";
        var uri = $"postgresql://{Uri.EscapeDataString(npgsql.Username!)}:{Uri.EscapeDataString(password)}@{npgsql.Host}:{npgsql.Port}/{Uri.EscapeDataString(npgsql.Database!)}?sslmode=disable&application_name=ci";
        var pairs = $"host={npgsql.Host} port={npgsql.Port} dbname={npgsql.Database} user={npgsql.Username} password='{password.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'";

        foreach (var form in new[] { uri, pairs })
        {
            var run = await CliRun.RunAsync(new Dictionary<string, string> { ["ERPDB_CONNECTION"] = form }, "verify", "--format", "json");

            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            Assert.Equal($"{npgsql.Username}@{npgsql.Host}:{npgsql.Port}/{npgsql.Database}", run.Json().GetProperty("meta").GetProperty("database").GetString());
            if (password.Length > 0)
            {
                Assert.DoesNotContain(password, run.Output + run.Error);
            }
        }
    }

    [Theory]
    [InlineData("host=127.0.0.1 port=1 user=ops password=kvsecret42 dbname=erp connect_timeout=3")]
    [InlineData("postgresql://ops:kvsecret42@127.0.0.1:1/erp?connect_timeout=3")]
    public async Task An_unreachable_server_named_in_libpq_form_is_DB_UNAVAILABLE_naming_host_and_port_never_the_password(string connection)
    {
        var run = await CliRun.RunAsync("status", "--connection", connection, "--format", "json");

        Assert.Equal(1, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("DB_UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.Contains("ops@127.0.0.1:1/erp", error.GetProperty("message").GetString());
        Assert.DoesNotContain("kvsecret42", run.Output + run.Error);
    }

    [Theory]
    [InlineData("Port=1;Username=ops;Password=nohostsecret;Database=erp;Timeout=3")]
    [InlineData("postgresql://ops:nohostsecret@:1/erp?connect_timeout=3")]
    public async Task A_connection_without_a_host_means_localhost_as_in_libpq_not_a_stack_trace(string connection)
    {
        var run = await CliRun.RunAsync("status", "--connection", connection, "--format", "json");

        Assert.Equal(1, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("DB_UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.Contains("ops@localhost:1/erp", error.GetProperty("message").GetString());
        Assert.DoesNotContain("nohostsecret", run.Output + run.Error);
        Assert.DoesNotContain("   at ", run.Output + run.Error);
    }

    [Theory]
    [InlineData("host=127.0.0.1 user=ops passwd=kvsecret42 dbname=erp", "'passwd'")]
    [InlineData("postgresql://ops:kvsecret42@127.0.0.1/erp?sslmode=sometimes", "sslmode")]
    [InlineData("host=127.0.0.1 password='kvsecret42", "no closing quote")]
    public async Task A_libpq_form_erpdb_cannot_read_is_bad_input_naming_the_keyword_never_the_value(string connection, string named)
    {
        var run = await CliRun.RunAsync("status", "--connection", connection, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.Contains(named, error.GetProperty("message").GetString());
        Assert.DoesNotContain("kvsecret42", run.Output + run.Error);
    }
}

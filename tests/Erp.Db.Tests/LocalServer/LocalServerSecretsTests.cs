using Erp.Db.LocalServer;
using Npgsql;

namespace Erp.Db.Tests.LocalServer;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class LocalServerSecretsTests
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task Nothing_under_the_home_is_open_to_group_or_others_at_any_point_of_start()
    {
        var home = Path.Combine(Path.GetTempPath(), $"erpdb-server-test-{Guid.NewGuid():N}");
        var server = new LocalPostgresServer(new LocalServerOptions { Home = home, Durable = false });
        using var stopWatching = new CancellationTokenSource();
        var seen = new HashSet<string>();
        var open = new List<string>();
        var watcher = Task.Run(() =>
        {
            // Polls as fast as it can while the server is created and started.
            while (!stopWatching.IsCancellationRequested)
            {
                Scan(home, seen, open);
            }
        });
        try
        {
            var info = await server.EnsureStartedAsync();
            await stopWatching.CancelAsync();
            await watcher;
            Scan(home, seen, open);

            Assert.True(info.StartedNow);
            Assert.Contains(Path.Combine(home, "password"), seen);
            Assert.Contains(Path.Combine(home, "data", "postgresql.conf"), seen);
            Assert.True(open.Count == 0, "Open to group or others: " + string.Join("; ", open));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(home, "data")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(home, "password")));
        }
        finally
        {
            await stopWatching.CancelAsync();
            NpgsqlConnection.ClearAllPools();
            await server.StopAsync();
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task A_database_name_with_quotes_and_line_breaks_is_the_cron_database_verbatim()
    {
        const string name = "erp'db\\x\nmax_connections = 7 # ";
        var home = Path.Combine(Path.GetTempPath(), $"erpdb-server-test-{Guid.NewGuid():N}");
        var server = new LocalPostgresServer(new LocalServerOptions { Home = home, Durable = false, Database = name });
        try
        {
            var info = await server.EnsureStartedAsync();
            await using var dataSource = NpgsqlDataSource.Create(info.ConnectionString);

            Assert.Equal(name, await Scalar(dataSource, "SELECT current_database()"));
            Assert.Equal(File.Exists("/usr/lib/postgresql/15/lib/pg_cron.so"), info.PgCron);
            // erpdb's own value (more with pg_cron, whose jobs are connections), not the one the name carries.
            Assert.Equal(info.PgCron ? "280" : "200", await Scalar(dataSource, "SHOW max_connections"));
            if (info.PgCron)
            {
                Assert.Equal(name, await Scalar(dataSource, "SHOW cron.database_name"));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.StopAsync();
            Directory.Delete(home, recursive: true);
        }
    }

    [Theory]
    [InlineData("erpdb", "'erpdb'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("a\\b", "'a\\\\b'")]
    [InlineData("a\nb = 'c'", "'a\\nb = ''c'''")]
    public void Conf_literals_escape_quotes_backslashes_and_line_breaks(string value, string expected) =>
        Assert.Equal(expected, PostgresConf.Literal(value));

    private static async Task<string?> Scalar(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (string?)await command.ExecuteScalarAsync();
    }

    private static void Scan(string home, HashSet<string> seen, List<string> open)
    {
        try
        {
            if (!Directory.Exists(home))
            {
                return;
            }
            Check(home, seen, open);
            foreach (var path in Directory.EnumerateFileSystemEntries(home, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            {
                Check(path, seen, open);
            }
        }
        catch (IOException)
        {
            // A folder went away while it was listed (setup/ is deleted after initdb).
        }
    }

    private static void Check(string path, HashSet<string> seen, List<string> open)
    {
        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(path);
        }
        catch (IOException)
        {
            return;
        }
        seen.Add(path);
        if ((mode & GroupOrOthers) != 0 && !open.Contains(path))
        {
            open.Add($"{path}: {mode}");
        }
    }
}

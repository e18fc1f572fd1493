using System.CommandLine;
using Erp.Db.Cli.Output;
using Erp.Db.LocalServer;
using Npgsql;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb server start|status|stop</c>: the private local PostgreSQL erpdb uses when no connection is configured.</summary>
internal sealed class ServerCommand : Command
{
    public ServerCommand(CommandRunner runner, LocalPostgresServer server)
        : base("server", "Manage the private local PostgreSQL that erpdb starts when no connection is configured.")
    {
        var start = new Command("start", "Start the local server (creating it the first time) and print where it listens.");
        start.SetAction((parseResult, ct) => runner.RunAsync(parseResult, async token =>
        {
            await server.EnsureStartedAsync(token);
            return Describe(await server.StatusAsync(token), server.PasswordFile);
        }, ct));

        var status = new Command("status", "Say whether the local server is running, on which port, where its data is and how pg_cron runs its jobs.");
        status.SetAction((parseResult, ct) => runner.RunAsync(parseResult, async token => Describe(await server.StatusAsync(token), server.PasswordFile), ct));

        var stop = new Command("stop", "Stop the local server; its data stays for the next start.");
        stop.SetAction((parseResult, ct) => runner.RunAsync(parseResult, async token =>
        {
            var stopped = await server.StopAsync(token);
            return new CommandResult(new { stopped }, new TableView([], [], stopped ? "Local server stopped." : "Local server was not running."));
        }, ct));

        Subcommands.Add(start);
        Subcommands.Add(status);
        Subcommands.Add(stop);
    }

    private static CommandResult Describe(LocalServerInfo? info, string passwordFile)
    {
        if (info is null)
        {
            return new CommandResult(new { running = false }, new TableView([], [], "Local server is not running; any erpdb command without a connection starts it."));
        }
        // The connection string an app or psql needs, without the password: that stays in its file.
        var connection = new NpgsqlConnectionStringBuilder(info.ConnectionString) { Password = null };
        var data = new
        {
            running = true,
            host = connection.Host,
            port = info.Port,
            database = connection.Database,
            user = connection.Username,
            connectionString = connection.ConnectionString,
            passwordFile,
            dataDirectory = info.DataDirectory,
            version = info.Version,
            pgCron = info.PgCron,
            cron = info.Cron,
        };
        var table = new TableView(["Setting", "Value"],
        [
            ["running", "yes"],
            ["listens on", $"127.0.0.1:{info.Port}"],
            ["connection", connection.ConnectionString],
            ["password file", passwordFile],
            ["data", info.DataDirectory],
            ["version", info.Version],
            .. CronRows(info.Cron),
        ], info.Cron?.Warning is { } warning ? "Warning: " + warning : null);
        return new CommandResult(data, table);
    }

    private static IEnumerable<string[]> CronRows(LocalServerCron? cron)
    {
        if (cron is null)
        {
            yield break;
        }
        yield return ["pg_cron", cron.Preloaded ? "preloaded" : cron.Available ? "installed, not preloaded" : "not installed"];
        if (!cron.Preloaded)
        {
            yield break;
        }
        yield return ["cron database", cron.Database ?? ""];
        yield return ["cron.use_background_workers", cron.UseBackgroundWorkers == true ? "on" : "off"];
        yield return ["cron.host", cron.Host ?? ""];
        // How the jobs log in, and whose: any login, or (see the warning under the table) not every one.
        yield return ["jobs run", cron.Mode switch
        {
            LocalCronMode.BackgroundWorkers => "as background workers",
            LocalCronMode.PrivateSocket => "through the private socket",
            LocalCronMode.Password => "over TCP, by password",
            _ => "not at all",
        } + (cron.AnyLogin ? ", any login" : ", not every login")];
    }
}

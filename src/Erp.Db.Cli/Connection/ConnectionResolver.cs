using Erp.Db.Cli.Output;
using Erp.Db.LocalServer;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Erp.Db.Cli.Connection;

/// <summary>
/// Finds the connection, first found wins: --connection, ERPDB_CONNECTION, libpq's PG* variables
/// (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD: Npgsql reads only some, so they are mapped
/// here), ConnectionStrings:ErpDb, then ErpDb:ConnectionString (the library's own setting) in erpdb.json or
/// appsettings.json, else the local server.
/// A connection string may be Npgsql's (Host=...;Database=...), or libpq's URI or keyword=value form (as psql takes it);
/// without a host it means localhost.
/// A connection string without a password takes it from libpq's password file: PGPASSFILE, else
/// ~/.pgpass (lines host:port:database:user:password), so no password need be on the command line.
/// </summary>
internal sealed class ConnectionResolver(IConfiguration configuration, CliEnvironment environment, LocalPostgresServer localServer, CommandOutput output)
{
    private static readonly string[] LibpqVariables = ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER"];

    public async Task<ConnectionTarget> ResolveAsync(string? option, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return WithPassfile(Validated(option, Database.CommandLineSource));
        }
        if (environment.Get("ERPDB_CONNECTION") is { Length: > 0 } fromEnvironment)
        {
            return WithPassfile(Validated(fromEnvironment, "ERPDB_CONNECTION"));
        }
        if (LibpqVariables.Any(v => !string.IsNullOrEmpty(environment.Get(v))))
        {
            return WithPassfile(Validated(FromLibpq(), "PG* environment variables"));
        }
        if (configuration.GetConnectionString("ErpDb") is { Length: > 0 } fromConfig)
        {
            return WithPassfile(Validated(fromConfig, "ConnectionStrings:ErpDb in erpdb.json/appsettings.json"));
        }
        if (configuration[$"{ErpDbOptions.SectionName}:{nameof(ErpDbOptions.ConnectionString)}"] is { Length: > 0 } fromSection)
        {
            return WithPassfile(Validated(fromSection, "ErpDb:ConnectionString in erpdb.json/appsettings.json"));
        }
        var server = await localServer.EnsureStartedAsync(cancellationToken);
        output.Note($"erpdb: no connection configured; using the local PostgreSQL {server.Version} on 127.0.0.1:{server.Port} "
            + $"({(server.StartedNow ? "started now" : "already running")}, data in {server.DataDirectory}{(server.PgCron ? ", pg_cron on" : "")}). "
            + "Stop it with 'erpdb server stop'.");
        return new ConnectionTarget(server.ConnectionString, "local server");
    }

    /// <summary>
    /// Points a connection string that has no password at PGPASSFILE (as libpq does; Npgsql would
    /// read only the process's own variable). Without PGPASSFILE, Npgsql reads ~/.pgpass itself.
    /// </summary>
    private ConnectionTarget WithPassfile(ConnectionTarget target)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        if (builder.Password is not null || builder.Passfile is not null || environment.Get("PGPASSFILE") is not { Length: > 0 } passfile)
        {
            return target;
        }
        builder.Passfile = passfile;
        return target with { ConnectionString = builder.ConnectionString };
    }

    private string FromLibpq()
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = environment.Get("PGHOST") is { Length: > 0 } host ? host : "localhost",
            Database = environment.Get("PGDATABASE"),
            Username = environment.Get("PGUSER"),
            Password = environment.Get("PGPASSWORD"),
        };
        if (environment.Get("PGPORT") is { Length: > 0 } port)
        {
            builder.Port = int.TryParse(port, out var number) && number is > 0 and < 65536
                ? number
                : throw CliException.Validation($"PGPORT '{port}' is not a port number (1-65535).");
        }
        builder.Database ??= builder.Username;
        return builder.ConnectionString;
    }

    private static ConnectionTarget Validated(string connectionString, string source)
    {
        connectionString = LibpqConnectionString.ToNpgsql(connectionString, source) ?? connectionString;
        try
        {
            // Without a host Npgsql throws when the data source is built (a stack trace); libpq and the PG* variables
            // default to the local machine, and so does erpdb.
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                builder.Host = "localhost";
                connectionString = builder.ConnectionString;
            }
            if (builder.Port is < 1 or > 65535)
            {
                throw CliException.Validation($"The connection string from {source} is malformed: Port {builder.Port} is not a port number (1-65535). {LibpqConnectionString.Forms}");
            }
            // Npgsql reads the hosts (host:port, [ipv6]:port) only when a data source is built; a malformed one (an unclosed
            // bracket) then failed with a stack trace. Built here, it fails as any malformed string does. Nothing connects.
            using var _ = new NpgsqlDataSourceBuilder(connectionString).Build();
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            // The message names the bad keyword, never the value (which may be a password).
            var problem = e is ArgumentException refused ? CliException.Plain(refused).TrimEnd('.') : "a host or its port cannot be read (host, host:port or [ipv6]:port)";
            throw CliException.Validation($"The connection string from {source} is malformed: {problem}. {LibpqConnectionString.Forms}");
        }
        return new ConnectionTarget(connectionString, source);
    }
}

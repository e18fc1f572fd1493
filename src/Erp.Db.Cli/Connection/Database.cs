using Erp.Db.Cli.Output;
using Erp.Db.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Erp.Db.Cli.Connection;

/// <summary>
/// The one <see cref="ErpDatabase"/> of an erpdb run, registered with <c>AddErpDb</c> over the <c>ErpDb</c>
/// section of erpdb.json/appsettings.json and created on first use: the connection the
/// <see cref="ConnectionResolver"/> finds becomes its <c>ConnectionString</c>, and the command's schema
/// options (<c>--scripts</c>, <c>--allow-downgrade</c>) its <c>Migration</c> options. The host disposes it.
/// A connection given with <c>--connection</c> is the run's one connection: a <c>MigrationConnectionString</c> from a file does not
/// replace it for the migrating commands. Scripts a file names (<c>ErpDb:Migration:ScriptsDirectory</c>) rather than
/// <c>--scripts</c> are named on stderr: a file in the current folder should not change silently what migrate runs.
/// </summary>
internal sealed class Database(ConnectionResolver resolver, GlobalOptions globals, IServiceProvider services, CommandOutput output)
{
    private Func<MigrationOptions, MigrationOptions>? migration;

    private ConnectionTarget? migrationTarget;

    public ConnectionTarget? Target { get; private set; }

    /// <summary>
    /// The connection the command works through, for its messages: the configured migration connection when the command
    /// asked for it (<see cref="GetMigratorAsync"/>) and one is set, else <see cref="Target"/>.
    /// </summary>
    public ConnectionTarget? Used => migrationTarget ?? Target;

    /// <summary>The library's entry object for this run.</summary>
    /// <param name="parseResult">The command line (for <c>--connection</c>).</param>
    /// <param name="cancellationToken">Cancels starting the local server.</param>
    /// <param name="migration">Changes the command line makes to the configured migration options.</param>
    public async Task<ErpDatabase> GetErpAsync(System.CommandLine.ParseResult parseResult, CancellationToken cancellationToken,
        Func<MigrationOptions, MigrationOptions>? migration = null)
    {
        if (Target is null)
        {
            this.migration = migration;
            Target = await resolver.ResolveAsync(parseResult.GetValue(globals.Connection), cancellationToken);
        }
        return services.GetRequiredService<ErpDatabase>();
    }

    /// <summary>
    /// The library's entry object for a command that works through its <see cref="ErpDatabase.MigrationDataSource"/> (migrate,
    /// status, verify, script, doctor, seed): when <c>ErpDb:MigrationConnectionString</c> is set, that is the connection the
    /// command's failures name (<see cref="Used"/>).
    /// </summary>
    /// <param name="parseResult">The command line (for <c>--connection</c>).</param>
    /// <param name="cancellationToken">Cancels starting the local server.</param>
    /// <param name="migration">Changes the command line makes to the configured migration options.</param>
    public async Task<ErpDatabase> GetMigratorAsync(System.CommandLine.ParseResult parseResult, CancellationToken cancellationToken,
        Func<MigrationOptions, MigrationOptions>? migration = null)
    {
        var erp = await GetErpAsync(parseResult, cancellationToken, migration);
        if (erp.Options.Migration.ScriptsDirectory is { } folder
            && !parseResult.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>().Any(o => o.Option.Name == "--scripts"))
        {
            output.Note($"erpdb: the scripts are read from {folder} ({ErpDbOptions.SectionName}:Migration:ScriptsDirectory in erpdb.json/appsettings.json), not erpdb's own.");
        }
        if (!string.IsNullOrWhiteSpace(erp.Options.MigrationConnectionString))
        {
            migrationTarget = new ConnectionTarget(erp.Options.MigrationConnectionString,
                $"{ErpDbOptions.SectionName}:{nameof(ErpDbOptions.MigrationConnectionString)} in erpdb.json/appsettings.json");
        }
        return erp;
    }

    /// <summary>Where a connection given with <c>--connection</c> comes from (<see cref="ConnectionTarget.Source"/>).</summary>
    public const string CommandLineSource = "--connection";

    /// <summary>Applies the resolved connection and the command line to the options <c>AddErpDb</c> bound (a PostConfigure step).</summary>
    public void Configure(ErpDbOptionsBuilder options)
    {
        if (Target is null)
        {
            throw new InvalidOperationException("ErpDatabase was resolved before the connection: call Database.GetErpAsync.");
        }
        var builder = new NpgsqlConnectionStringBuilder(Target.ConnectionString);
        builder.ApplicationName ??= "erpdb";
        options.ConnectionString = builder.ConnectionString;
        if (Target.Source == CommandLineSource)
        {
            options.MigrationConnectionString = null;
        }
        if (migration is not null)
        {
            options.Migration = migration(options.Migration);
        }
    }
}

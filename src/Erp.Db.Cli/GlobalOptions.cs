using System.CommandLine;
using Erp.Db.Cli.Output;

namespace Erp.Db.Cli;

/// <summary>Options every command takes.</summary>
internal sealed class GlobalOptions
{
    public GlobalOptions(CliConsole console)
    {
        var fallback = OutputFormats.Default(console.IsTerminal);
        Format = new("--format", "-f")
        {
            Description = "Output format: table (for people), json (the {success,data,meta} envelope) or csv. Default: table when stdout is a terminal, json when it is redirected or piped (scripts, AI assistants).",
            DefaultValueFactory = _ => fallback,
            HelpName = "table|json|csv",
            Recursive = true,
        };
    }

    public Option<string?> Connection { get; } = new("--connection", "-c")
    {
        Description = "PostgreSQL connection string: Npgsql's (Host=db;Port=5432;Database=erp;Username=app) or libpq's (host=db dbname=erp user=app, or postgresql://app@db:5432/erp). Default: ERPDB_CONNECTION, then PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD, then ConnectionStrings:ErpDb or ErpDb:ConnectionString in erpdb.json or appsettings.json (current folder), else a local server erpdb starts itself (erpdb server status). Without a password, the password file PGPASSFILE or ~/.pgpass is read.",
        Recursive = true,
    };

    public Option<OutputFormat> Format { get; }

    /// <summary>True when --format was given on the command line (not the default for the terminal or pipe).</summary>
    public bool FormatGiven(ParseResult parseResult) => parseResult.GetResult(Format) is { Implicit: false };
}

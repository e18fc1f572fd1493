using System.CommandLine;
using Erp.Db.Cli.Output;

namespace Erp.Db.Cli;

/// <summary>Options every command takes.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Connection { get; } = new("--connection", "-c")
    {
        Description = "PostgreSQL connection string. Default: ERPDB_CONNECTION, then PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD, then ConnectionStrings:ErpDb in erpdb.json, else a local server erpdb starts itself. Without a password, the password file PGPASSFILE or ~/.pgpass is read.",
        Recursive = true,
    };

    public Option<OutputFormat> Format { get; } = new("--format", "-f")
    {
        Description = "Output format: table (for people), json (the {success,data,meta} envelope) or csv.",
        DefaultValueFactory = _ => OutputFormat.Table,
        HelpName = "table|json|csv",
        Recursive = true,
    };
}

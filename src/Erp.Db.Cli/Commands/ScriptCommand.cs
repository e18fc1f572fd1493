using System.CommandLine;
using System.Text;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Migrations;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb script [--output FILE]</c>: the SQL migrate would run, for review.</summary>
internal sealed class ScriptCommand : Command
{
    private readonly Option<FileInfo?> outputFile = new("--output", "-o")
    {
        Description = "Write the SQL to this file instead of stdout.",
    };

    private readonly Option<DirectoryInfo?> scripts = SchemaOptions.Scripts();
    private readonly Option<bool> allowDowngrade = SchemaOptions.AllowDowngrade();
    private readonly Database database;
    private readonly GlobalOptions globals;
    private readonly TextWriter stdout;

    public ScriptCommand(CommandRunner runner, Database database, GlobalOptions globals, CliConsole console)
        : base("script", "Print the SQL that migrate would run now (scripts and their journal entries), for review or for 'psql -1 -f'.")
    {
        this.database = database;
        this.globals = globals;
        stdout = console.Output;
        Options.Add(outputFile);
        Options.Add(scripts);
        Options.Add(allowDowngrade);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetMigratorAsync(parseResult, cancellationToken, SchemaOptions.Migration(parseResult, scripts, allowDowngrade));
        var sql = await erp.Migrations.ScriptAsync(cancellationToken);
        var file = parseResult.GetValue(outputFile);
        if (file is not null)
        {
            // The file's size in bytes (UTF-8), not the text's length: the scripts hold non-ASCII characters.
            var bytes = Encoding.UTF8.GetBytes(sql);
            try
            {
                await File.WriteAllBytesAsync(file.FullName, bytes, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A path the user typed that cannot be written is bad input (exit 2), not a failure of the database.
                throw CliException.Validation($"--output: cannot write {file.FullName}: {e.Message} Give a file in a folder that exists and that this user may write to.", new { field = "--output", file = file.FullName });
            }
            return new CommandResult(new { file = file.FullName, bytes = bytes.Length }, new TableView([], [], $"Wrote the SQL to {file.FullName}."));
        }
        // The SQL is meant for a file or a pipe: JSON only when asked for by name.
        if (globals.FormatGiven(parseResult) && parseResult.GetValue(globals.Format) == OutputFormat.Json)
        {
            return new CommandResult(new { sql }, new TableView([], []));
        }
        await stdout.WriteAsync(sql);
        return new CommandResult(new { }, new TableView([], [], "-- end of script"), Format: OutputFormat.Table);
    }
}

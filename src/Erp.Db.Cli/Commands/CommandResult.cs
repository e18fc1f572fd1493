using Erp.Db.Cli.Output;

namespace Erp.Db.Cli.Commands;

/// <summary>What a command produced: data for JSON, a table for people, and its exit code.</summary>
/// <param name="Extra">Further tables printed after the first in table format only (CSV holds one table).</param>
/// <param name="Format">The format to finish in when the command chose it itself (script, having printed SQL, ends in text); null: --format or its default.</param>
internal sealed record CommandResult(object Data, TableView Table, int ExitCode = ExitCodes.Ok, IReadOnlyDictionary<string, object?>? Meta = null, IReadOnlyList<TableView>? Extra = null,
    OutputFormat? Format = null);

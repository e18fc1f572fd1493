using System.CommandLine;
using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Import;
using Erp.Db.Cli.Output;
using Erp.Db.Ingest;
using Microsoft.Extensions.Logging;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb import ENTITY FILE.csv</c>: one CSV file, streamed as one ingest batch (all or nothing).</summary>
internal sealed class ImportCommand : Command
{
    private readonly Argument<string> entity = new("entity")
    {
        Description = $"What the file holds: {string.Join(", ", ImportEntities.All.Select(e => e.Name))}.",
    };

    private readonly Argument<string> file = new("file")
    {
        Description = "The CSV file: a header of snake_case column names, then one row per line.",
    };

    private readonly Database database;

    public ImportCommand(CommandRunner runner, Database database)
        : base("import", Help())
    {
        this.database = database;
        Arguments.Add(entity);
        Arguments.Add(file);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(entity)!;
        var target = ImportEntities.Find(name) ?? throw CliException.Validation(
            $"Unknown entity '{name}'. Choose one of: {string.Join(", ", ImportEntities.All.Select(e => e.Name))}.",
            new { entity = name, entities = ImportEntities.All.Select(e => e.Name) });
        var path = parseResult.GetValue(file)!;
        if (!File.Exists(path))
        {
            throw CliException.Validation($"File not found: {path}.", new { file = path });
        }

        // Strict UTF-8: a byte sequence that is not UTF-8 rejects the file rather than being stored as U+FFFD.
        using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        IngestResult result;
        try
        {
            ReadHeader(csv, target, path);
            var ingestor = (await database.GetErpAsync(parseResult, cancellationToken)).Ingest;
            result = await target.ImportAsync(ingestor, csv, cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            // The reader decodes ahead of the parser: the bad bytes are on the line the parser stood at or after it.
            throw Rejected(path, Math.Max(csv.Parser.Row, 1), null, null, "the file is not valid UTF-8 from about here on (save it as UTF-8)");
        }
        catch (CsvImportException e)
        {
            throw Rejected(path, e.Line, e.Column, null, e.Reason);
        }
        catch (IngestException e)
        {
            throw Rejected(path, e.RowNumber + 1, e.Field, e.Constraint, e.Reason);
        }
        catch (CsvHelperException e)
        {
            throw Rejected(path, e.Context?.Parser?.Row ?? 0, null, null, "the line is not valid CSV (check its quotes)");
        }

        var data = new
        {
            entity = target.Name,
            table = target.Table,
            file = Path.GetFullPath(path),
            inserted = result.Inserted,
            updated = result.Updated,
            unchanged = result.Unchanged,
            total = result.Total,
            elapsedMs = Math.Round(result.Elapsed.TotalMilliseconds, 1),
        };
        var table = new TableView(
            ["entity", "inserted", "updated", "unchanged", "total"],
            [[target.Name, Text(result.Inserted), Text(result.Updated), Text(result.Unchanged), Text(result.Total)]],
            $"Imported {result.Total} row(s) of {path} into {target.Table} in {result.Elapsed.TotalMilliseconds:0} ms.");
        return new CommandResult(data, table);
    }

    private static void ReadHeader(CsvReader csv, ImportEntity target, string path)
    {
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            throw Rejected(path, 1, null, null, "the file is empty; the first line must be the header");
        }
        var unknown = header.Where(h => target.Columns.All(c => c.Name != h)).ToList();
        if (unknown.Count > 0)
        {
            throw Rejected(path, 1, unknown[0], null,
                $"unknown column(s) {string.Join(", ", unknown)}; the columns of {target.Name} are {string.Join(", ", target.Columns.Select(c => c.Name))}");
        }
        var missing = target.Columns.Where(c => c.Required && !header.Contains(c.Name)).Select(c => c.Name).ToList();
        if (missing.Count > 0)
        {
            throw Rejected(path, 1, missing[0], null, $"missing required column(s) {string.Join(", ", missing)}");
        }
    }

    private static CliException Rejected(string path, long line, string? column, string? constraint, string reason) =>
        CliException.Validation(
            $"Line {line}: {reason}{(constraint is null ? "" : $" ({constraint})")}. Nothing of {path} was imported.",
            new { file = path, line, column, constraint, reason });

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Help()
    {
        var help = new StringBuilder("Import a CSV file into the warehouse as one batch: new keys are inserted, changed rows updated, "
            + "identical rows left alone. A bad line (the header is line 1) fails the whole file and nothing is saved. "
            + "Header names are snake_case; * = required; a blank cell takes the default. Dates yyyy-mm-dd, timestamps ISO 8601 "
            + "(UTC without an offset), numbers with a '.' decimal point.");
        foreach (var e in ImportEntities.All)
        {
            help.Append(CultureInfo.InvariantCulture, $"\n\n{e.Name} ({e.Table}):\n  ");
            help.AppendJoin(", ", e.Columns.Select(c => c.Required ? c.Name + "*" : c.Name));
        }
        return help.ToString();
    }
}

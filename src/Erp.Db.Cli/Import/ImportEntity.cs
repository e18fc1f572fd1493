using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import;

/// <summary>An entity <c>erpdb import</c> loads: its name, its columns, and how a file becomes one ingest batch.</summary>
internal abstract class ImportEntity(string name, string table, IReadOnlyList<CsvColumn> columns)
{
    /// <summary>The name on the command line: orders, order-items, ...</summary>
    public string Name { get; } = name;

    /// <summary>The table it loads into, for help.</summary>
    public string Table { get; } = table;

    public IReadOnlyList<CsvColumn> Columns { get; } = columns;

    /// <summary>
    /// What <c>erpdb import NAME --help</c> shows: the table, then one line per column with its note and default; * marks a required
    /// column, and a pair such as merchant_code | merchant_id is required as one of the two.
    /// </summary>
    public string Help()
    {
        var shown = Columns.Where(c => Columns.All(o => o.Or != c.Name)).ToList();
        string Label(CsvColumn c) => c.Required ? c.Name + "*" : c.Or is not null ? $"{c.Name} | {c.Or}*" : c.Name;
        var width = shown.Max(c => Label(c).Length);
        var help = new System.Text.StringBuilder($"erpdb import {Name} FILE: loads {Table}. Columns (* = required; a blank cell takes the default):");
        foreach (var column in shown)
        {
            var or = column.Or is null ? null : Columns.FirstOrDefault(o => o.Name == column.Or);
            var note = or is null ? column.Description : $"{column.Description}; {or.Name}: {or.Description}";
            help.Append('\n').Append($"  {Label(column).PadRight(width)}  {note}".TrimEnd());
        }
        return help.ToString();
    }

    /// <summary>Streams the records of <paramref name="run"/> (header already read) into one ingest batch.</summary>
    public abstract Task<IngestResult> ImportAsync(Ingestor ingestor, ImportRun run, CancellationToken cancellationToken);

    /// <summary>Reads and parses every record of <paramref name="run"/> without a database, as an import would, and counts the rows (the benchmark's read-only figure).</summary>
    public abstract long CountRows(ImportRun run, CancellationToken cancellationToken);
}

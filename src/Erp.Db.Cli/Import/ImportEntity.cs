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

    /// <summary>Streams the records of <paramref name="run"/> (header already read) into one ingest batch.</summary>
    public abstract Task<IngestResult> ImportAsync(Ingestor ingestor, ImportRun run, CancellationToken cancellationToken);

    /// <summary>Reads and parses every record of <paramref name="run"/> without a database, as an import would, and counts the rows (the benchmark's read-only figure).</summary>
    public abstract long CountRows(ImportRun run, CancellationToken cancellationToken);
}

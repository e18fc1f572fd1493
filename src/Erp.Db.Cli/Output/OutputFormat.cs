namespace Erp.Db.Cli.Output;

/// <summary>How results are printed on stdout.</summary>
internal enum OutputFormat
{
    /// <summary>Aligned columns for people, fitted to the terminal width (COLUMNS) without breaking a value across lines.</summary>
    Table,

    /// <summary>The envelope {success, data, meta} for scripts and AI assistants.</summary>
    Json,

    /// <summary>RFC 4180 rows with a header line: the first table's data, raw (<see cref="TableView.Records"/>), or its cells.</summary>
    Csv,
}

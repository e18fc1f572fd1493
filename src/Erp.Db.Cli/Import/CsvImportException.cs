namespace Erp.Db.Cli.Import;

/// <summary>A value of an import file could not be read; <see cref="Line"/> counts the header as line 1.</summary>
internal sealed class CsvImportException(long line, string? column, string reason)
    : Exception($"Line {line}: {reason}.")
{
    public long Line { get; } = line;

    public string? Column { get; } = column;

    public string Reason { get; } = reason;
}

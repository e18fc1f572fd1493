namespace Erp.Db.Cli.Import;

/// <summary>An import file could not be read: every problem found (up to the limit), in file order.</summary>
internal sealed class CsvImportException(IReadOnlyList<ImportProblem> problems)
    : Exception($"Line {problems[0].Line}: {problems[0].Reason}.")
{
    public CsvImportException(long line, string? column, string reason)
        : this([new ImportProblem(line, column, null, reason)])
    {
    }

    public IReadOnlyList<ImportProblem> Problems { get; } = problems;
}

namespace Erp.Db.Cli.Import;

/// <summary>One thing wrong with an import file: its line (or sheet row; the header is 1), the column, and why.</summary>
internal sealed record ImportProblem(long Line, string? Column, string? Constraint, string Reason);

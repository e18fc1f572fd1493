namespace Erp.Db.Cli.Output;

/// <summary>Rows as text, for the table and CSV formats.</summary>
internal sealed record TableView(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, string? Caption = null);

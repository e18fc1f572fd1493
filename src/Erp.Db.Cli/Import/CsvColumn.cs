namespace Erp.Db.Cli.Import;

/// <summary>A column an import file may have: its snake_case header, whether it is required, and what it holds.</summary>
internal sealed record CsvColumn(string Name, bool Required, string Description);

namespace Erp.Db.Cli.Import.Sources;

/// <summary>One record of an import file: where it starts (line of a text file, row of a sheet) and its cells, trimmed.</summary>
internal readonly record struct ImportLine(long Line, string?[] Cells);

namespace Erp.Db.Cli;

/// <summary>Where erpdb writes: results on <see cref="Output"/>, progress and notes on <see cref="Error"/>.</summary>
internal sealed record CliConsole(TextWriter Output, TextWriter Error);

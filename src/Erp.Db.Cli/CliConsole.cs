namespace Erp.Db.Cli;

/// <summary>Where erpdb writes: results on <see cref="Output"/>, progress and notes on <see cref="Error"/>.</summary>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="IsTerminal">True when <see cref="Output"/> is the process's standard output and that is a terminal (not redirected or piped).</param>
internal sealed record CliConsole(TextWriter Output, TextWriter Error, bool IsTerminal)
{
    /// <summary>Whether <paramref name="output"/> is a terminal: the process's own stdout, not redirected. Any other writer is not.</summary>
    public static bool IsTerminalWriter(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
}

namespace Erp.Db.Cli.Output;

/// <summary>The one rule for the format used when --format is not given.</summary>
internal static class OutputFormats
{
    /// <summary>Tables for a person at a terminal; the JSON envelope when stdout is redirected or piped (scripts, AI assistants).</summary>
    public static OutputFormat Default(bool isTerminal) => isTerminal ? OutputFormat.Table : OutputFormat.Json;

    /// <summary>
    /// The format the arguments ask for, read without a full parse (for a command line that fails to parse):
    /// the value of the last --format/-f given, else (also when that value is not a format) <paramref name="fallback"/>.
    /// </summary>
    public static OutputFormat FromArgs(string[] args, OutputFormat fallback)
    {
        var format = fallback;
        for (var i = 0; i < args.Length; i++)
        {
            string? value = args[i] switch
            {
                "--format" or "-f" => i + 1 < args.Length ? args[i + 1] : null,
                var a when a.StartsWith("--format=", StringComparison.Ordinal) => a["--format=".Length..],
                var a when a.StartsWith("-f=", StringComparison.Ordinal) => a["-f=".Length..],
                _ => null,
            };
            if (value is not null || args[i] is "--format" or "-f")
            {
                format = value?.ToLowerInvariant() switch
                {
                    "json" => OutputFormat.Json,
                    "table" => OutputFormat.Table,
                    "csv" => OutputFormat.Csv,
                    _ => fallback,
                };
            }
        }
        return format;
    }
}

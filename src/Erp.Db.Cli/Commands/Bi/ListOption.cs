using System.CommandLine;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>An option that takes several values: separated by commas (<c>a,b</c>), by spaces or by repeating the option.</summary>
internal static class ListOption
{
    /// <summary>The option; its description should say what the values are.</summary>
    public static Option<string[]> Create(string name, string description) =>
        new(name) { Description = description, AllowMultipleArgumentsPerToken = true };

    /// <summary>Every value given, split at commas, trimmed, empty ones left out; none when the option is absent.</summary>
    public static string[] Values(ParseResult parseResult, Option<string[]> option) =>
        [.. (parseResult.GetValue(option) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];
}

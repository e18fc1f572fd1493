using System.CommandLine;
using System.Text.Json;
using Erp.Db.Cli.Output;
using Erp.Db.Queries;

namespace Erp.Db.Cli.Commands;

/// <summary>
/// A query parameter the library refused, named as the option the user typed: the library names its parameters (topProducts,
/// pageSize, minPrice), the command line has options (--limit, --page-size, --min-price). A parameter is the option of its name
/// in kebab case, except those listed here.
/// </summary>
internal static class QueryFields
{
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["topProducts"] = "--limit",
        ["platforms"] = "--platform",
        ["categoryId"] = "--category",
    };

    /// <summary>The validation error, its message and details.field naming the option (as typed: --from for --start); the parameter when no option sets it.</summary>
    public static CliException Validation(ParseResult parseResult, QueryValidationException e)
    {
        var name = Renamed.GetValueOrDefault(e.Field) ?? "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(e.Field);
        if (parseResult.CommandResult.Command.Options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name)) is not { } option)
        {
            return CliException.Validation(e.Message, new { field = e.Field });
        }
        var typed = parseResult.GetResult(option)?.IdentifierToken?.Value ?? option.Name;
        var message = e.Message;
        // "topProducts must be between 0 and 100" is "--limit must be ..." and "... give an earlier date." is "... give an earlier
        // --date."; any other message is prefixed with the option.
        message = message.StartsWith(e.Field + " ", StringComparison.Ordinal) ? typed + message[e.Field.Length..]
            : message.EndsWith($" {e.Field}.", StringComparison.Ordinal) ? $"{message[..^(e.Field.Length + 1)]}{typed}."
            : $"{typed}: {(message is [var first, var second, ..] && char.IsUpper(first) && char.IsLower(second) ? char.ToLowerInvariant(first) + message[1..] : message)}";
        return CliException.Validation(message, new { field = typed });
    }
}

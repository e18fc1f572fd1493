using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Erp.Db.Cli;

/// <summary>
/// The one rule for options that take a day (--start, --end, --date, ...): yyyy-MM-dd, as their help says, and nothing else.
/// System.CommandLine's own parser reads a date in any shape the invariant culture knows, month first: '05/11/2026' was
/// 11 May where a user writing day first meant 5 November, and the answer covered another period without a word.
/// </summary>
internal static class DateOptions
{
    /// <summary>Gives every date option of <paramref name="command"/> and of its subcommands the strict parser.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options.OfType<Option<DateOnly?>>())
        {
            option.CustomParser = result => Parse(result, option);
        }
        foreach (var subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }

    private static DateOnly? Parse(ArgumentResult result, Option option)
    {
        if (result.Tokens is not [var token, ..])
        {
            return null;
        }
        if (DateOnly.TryParseExact(token.Value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        var name = (result.Parent as OptionResult)?.IdentifierToken?.Value ?? option.Name;
        result.AddError($"'{token.Value}' is not a date (yyyy-MM-dd), as {name} must be.");
        return null;
    }
}

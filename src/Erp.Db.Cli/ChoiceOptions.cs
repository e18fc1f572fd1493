using System.CommandLine;
using System.CommandLine.Parsing;
using System.Reflection;
using System.Text.Json;
using Erp.Db.Queries;
using Erp.Db.Queries.Inventory;

namespace Erp.Db.Cli;

/// <summary>
/// The one rule for options that take a value from a list (an enum): a value is typed as the JSON output writes it, in snake_case
/// (one_time, last_order), or as the enum names it in any case (OneTime, onetime), or as an alias below. Anything else, a number
/// included, is refused naming the option and its values as they are typed: System.CommandLine's own parser takes any number and
/// names the .NET type in its error.
/// </summary>
internal static class ChoiceOptions
{
    /// <summary>
    /// More names of a value, where the JSON output names the same thing otherwise (products' stockStatus: low_stock, out_of_stock),
    /// or where users type the short name SQL and most tools take (--order asc, desc).
    /// </summary>
    private static readonly Dictionary<Enum, string[]> Aliases = new()
    {
        [StockFilter.Low] = ["low_stock"],
        [StockFilter.Out] = ["out_of_stock"],
        [SortDirection.Descending] = ["desc"],
        [SortDirection.Ascending] = ["asc"],
    };

    private static readonly MethodInfo UseMethod = typeof(ChoiceOptions).GetMethod(nameof(Use), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly MethodInfo DescribeDefaultMethod = typeof(ChoiceOptions).GetMethod(nameof(DescribeDefault), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Gives every enum option of <paramref name="command"/> and of its subcommands this parser, and a help name listing its values.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options.Where(o => o.ValueType.IsEnum))
        {
            UseMethod.MakeGenericMethod(option.ValueType).Invoke(null, [option]);
        }
        foreach (var subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }

    /// <summary>
    /// Before --help is written: the default of every enum option of <paramref name="command"/> and of its subcommands as the user types
    /// it ([default: revenue]). System.CommandLine prints the .NET name ([default: Revenue]) and offers no way to change that text (its
    /// HelpBuilder is internal), so the default moves into the description and the option's own is dropped: help ends the run, nothing
    /// reads the value after it.
    /// </summary>
    public static void DescribeDefaults(Command command)
    {
        foreach (var option in command.Options.Where(o => o.ValueType.IsEnum && o.HasDefaultValue))
        {
            DescribeDefaultMethod.MakeGenericMethod(option.ValueType).Invoke(null, [option]);
        }
        foreach (var subcommand in command.Subcommands)
        {
            DescribeDefaults(subcommand);
        }
    }

    /// <summary>The value's name as the user types it (and the JSON output writes it): OneTime is one_time.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static void Use<T>(Option<T> option)
        where T : struct, Enum
    {
        option.HelpName ??= string.Join('|', Enum.GetValues<T>().Select(Name));
        option.CustomParser = result => Parse<T>(result, option);
    }

    private static void DescribeDefault<T>(Option<T> option)
        where T : struct, Enum
    {
        option.Description = $"{option.Description} [default: {Name((T)option.GetDefaultValue()!)}]";
        option.DefaultValueFactory = null;
    }

    private static T Parse<T>(ArgumentResult result, Option<T> option)
        where T : struct, Enum
    {
        if (result.Tokens is not [var token, ..])
        {
            return default;
        }
        var typed = token.Value.Trim();
        foreach (var value in Enum.GetValues<T>())
        {
            if (Spellings(value).Contains(typed, StringComparer.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        var name = (result.Parent as OptionResult)?.IdentifierToken?.Value ?? option.Name;
        var values = Enum.GetValues<T>().Select(v => Aliases.TryGetValue(v, out var more) ? $"{Name(v)} (or {string.Join(", ", more)})" : Name(v));
        result.AddError($"'{token.Value}' is not a value of {name}; use one of: {string.Join(", ", values)}.");
        return default;
    }

    private static IEnumerable<string> Spellings<T>(T value)
        where T : struct, Enum => [value.ToString(), Name(value), .. Aliases.GetValueOrDefault(value) ?? []];
}

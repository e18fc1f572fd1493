using System.CommandLine;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>
/// The one name of a BI command's grouping (sales, profit, funnel): <c>--group-by</c>, with <c>--by</c> (profit's and funnel's
/// first name) accepted everywhere as its alias, so either spelling works with every command. Help shows <c>--group-by</c> only.
/// </summary>
internal static class GroupByOption
{
    public const string Name = "--group-by";

    /// <summary>The other spelling, accepted but not shown in help.</summary>
    public const string Alias = "--by";

    /// <summary>The grouping option; <paramref name="helpName"/> lists the values in another order than the enum's.</summary>
    public static Option<T> Create<T>(string description, T defaultValue, string? helpName = null) => new(Name, Alias)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = helpName,
    };

    /// <summary>Before --help is written: the alias is dropped from every grouping option, so help names the option once. Help ends the run.</summary>
    public static void HideAlias(Command command)
    {
        foreach (var option in command.Options.Where(o => o.Name == Name))
        {
            option.Aliases.Remove(Alias);
        }
        foreach (var subcommand in command.Subcommands)
        {
            HideAlias(subcommand);
        }
    }
}

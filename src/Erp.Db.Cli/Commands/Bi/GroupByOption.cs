using System.CommandLine;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>
/// The one name of a BI command's grouping (sales, profit, funnel): <c>--group-by</c>, with <c>--by</c> (profit's and funnel's
/// first name) accepted everywhere as its alias, so either spelling works with every command.
/// </summary>
internal static class GroupByOption
{
    public const string Name = "--group-by";

    /// <summary>The other spelling.</summary>
    public const string Alias = "--by";

    /// <summary>The grouping option; <paramref name="helpName"/> lists the values in another order than the enum's.</summary>
    public static Option<T> Create<T>(string description, T defaultValue, string? helpName = null) => new(Name, Alias)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = helpName,
    };
}

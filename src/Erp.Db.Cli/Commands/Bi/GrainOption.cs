using System.CommandLine;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>
/// The one name of a BI command's bucket size (trends, users, funnel, profit): <c>--grain</c>, with <c>--granularity</c> (trends'
/// first name, and the field its JSON writes) accepted everywhere as its alias, so either spelling works with every command.
/// </summary>
internal static class GrainOption
{
    public const string Name = "--grain";

    /// <summary>The other spelling.</summary>
    public const string Alias = "--granularity";

    /// <summary>The grain option.</summary>
    public static Option<Granularity> Create(string description, Granularity defaultValue) => new(Name, Alias)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
    };
}

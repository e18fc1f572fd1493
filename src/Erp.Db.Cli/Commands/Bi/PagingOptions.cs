using System.CommandLine;
using Erp.Db.Queries;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>--page and --page-size.</summary>
internal sealed class PagingOptions
{
    private readonly Option<int> page = new("--page") { Description = "Page number, from 1.", DefaultValueFactory = _ => 1 };
    private readonly Option<int> pageSize;

    public PagingOptions(Command command, int defaultSize)
    {
        pageSize = new Option<int>("--page-size") { Description = "Rows per page (1-500).", DefaultValueFactory = _ => defaultSize };
        command.Options.Add(page);
        command.Options.Add(pageSize);
    }

    public Paging Resolve(ParseResult parseResult) => new(parseResult.GetValue(page), parseResult.GetValue(pageSize));
}

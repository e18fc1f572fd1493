using Erp.Db.Queries;

namespace Erp.Db.Cli.Output;

/// <summary>The page a table shows of a longer list: its number, the pages and rows in all, the rows on it.</summary>
internal sealed record PageOf(int Page, long Pages, int Rows, long Total)
{
    public static PageOf From<T>(PagedResult<T> page) => new(page.Page, page.Pages, page.Items.Count, page.Total);
}

namespace Erp.Db.Queries;

/// <summary>One page of rows and how many rows match in all.</summary>
/// <typeparam name="T">The row type.</typeparam>
/// <param name="Items">The rows of this page.</param>
/// <param name="Total">Rows matching the filters over all pages.</param>
/// <param name="Page">1-based page number.</param>
/// <param name="PageSize">Rows per page.</param>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize)
{
    /// <summary>Number of pages (0 when nothing matches).</summary>
    public long Pages => (Total + PageSize - 1) / PageSize;
}

namespace Erp.Db.Queries;

/// <summary>A page of results: 1-based page number and page size, capped by <see cref="ErpDbOptions.MaxPageSize"/>.</summary>
/// <param name="Page">1-based page number.</param>
/// <param name="PageSize">Rows per page.</param>
public sealed record Paging(int Page = 1, int PageSize = 20)
{
    internal int Offset => (Page - 1) * PageSize;

    /// <summary>This page of <paramref name="rows"/>, every row of the result read into memory (a grouped report of a few hundred rows).</summary>
    internal PagedResult<T> Of<T>(IReadOnlyList<T> rows) => new([.. rows.Skip(Offset).Take(PageSize)], rows.Count, Page, PageSize);

    internal Paging Validated(int maxPageSize)
    {
        if (Page < 1)
        {
            throw new QueryValidationException("page", $"page starts at 1; got {Page}.");
        }
        if (PageSize < 1 || PageSize > maxPageSize)
        {
            throw new QueryValidationException("pageSize", $"pageSize must be between 1 and {maxPageSize}; got {PageSize}.");
        }
        if ((long)Page * PageSize > 1_000_000)
        {
            throw new QueryValidationException("page", "Paging deeper than the first 1,000,000 rows is not supported; narrow the filters.");
        }
        return this;
    }
}

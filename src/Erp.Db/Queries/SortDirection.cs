namespace Erp.Db.Queries;

/// <summary>Sort order of a query.</summary>
public enum SortDirection
{
    /// <summary>Largest first.</summary>
    Descending,

    /// <summary>Smallest first.</summary>
    Ascending,
}

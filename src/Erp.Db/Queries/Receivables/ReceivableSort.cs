namespace Erp.Db.Queries.Receivables;

/// <summary>The closed list of orders the receivables query can list its rows in.</summary>
public enum ReceivableSort
{
    /// <summary>Most days overdue first, then the largest outstanding (CNY).</summary>
    Overdue,

    /// <summary>Largest outstanding (CNY) first, then the most days overdue.</summary>
    Largest,
}

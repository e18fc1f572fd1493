namespace Erp.Db.Queries.Receivables;

/// <summary>Which receivables the receivables query lists.</summary>
public enum ReceivableStatus
{
    /// <summary>Not settled: open, partially paid or overdue (those with an aging bucket).</summary>
    Open,

    /// <summary>Not settled and past the due date (days overdue above 0).</summary>
    Overdue,

    /// <summary>Settled in full.</summary>
    Paid,

    /// <summary>Every receivable, cancelled and written off included.</summary>
    All,
}

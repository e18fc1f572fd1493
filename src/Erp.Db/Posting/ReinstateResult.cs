namespace Erp.Db.Posting;

/// <summary>What one reinstatement of written-off receivables changed (<see cref="ErpDatabase.ReinstateAsync"/>); zeros when no invoice named was written off.</summary>
/// <param name="Receivables">Receivables whose write-off this call undid.</param>
/// <param name="OutstandingCny">What they owe now, in CNY (booked less received, each in CNY; none for one whose order was cancelled meanwhile).</param>
/// <param name="Overdue">How many of them are past due, marked overdue with an open alert.</param>
public sealed record ReinstateResult(int Receivables, decimal OutstandingCny, int Overdue)
{
    /// <summary>True when the call changed nothing (no invoice named was written off).</summary>
    public bool NothingChanged => Receivables == 0;
}

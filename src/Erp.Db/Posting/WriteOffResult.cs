namespace Erp.Db.Posting;

/// <summary>What one write-off of receivables changed (<see cref="ErpDatabase.WriteOffAsync"/>); zeros when every invoice named was written off already.</summary>
/// <param name="Receivables">Receivables written off by this call.</param>
/// <param name="OutstandingCny">What they still owed, in CNY (booked less received, each in CNY).</param>
/// <param name="AlertsResolved">Overdue alerts of the merchant resolved with them.</param>
public sealed record WriteOffResult(int Receivables, decimal OutstandingCny, int AlertsResolved)
{
    /// <summary>True when the call changed nothing (every invoice named was written off already).</summary>
    public bool NothingChanged => Receivables == 0;
}

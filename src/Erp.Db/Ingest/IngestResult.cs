namespace Erp.Db.Ingest;

/// <summary>What one ingest batch did. Inserted + Updated + Unchanged is the number of rows in the batch.</summary>
/// <param name="Inserted">Rows whose key was new: inserted.</param>
/// <param name="Updated">Rows whose key existed with different values: updated.</param>
/// <param name="Unchanged">Rows whose key existed with the same values: left alone (no write, no new <c>updated_at</c>).</param>
/// <param name="Elapsed">Wall time of the batch, from opening the connection to the commit.</param>
public sealed record IngestResult(long Inserted, long Updated, long Unchanged, TimeSpan Elapsed)
{
    /// <summary>
    /// Stored rows the batch deleted because it replaces their set and does not name them: the order lines an order no longer has,
    /// with <see cref="IngestOptions.ReplaceOrderLines"/>. Always 0 otherwise; not part of <see cref="Total"/>.
    /// </summary>
    public long Deleted { get; init; }

    /// <summary>Rows in the batch.</summary>
    public long Total => Inserted + Updated + Unchanged;
}

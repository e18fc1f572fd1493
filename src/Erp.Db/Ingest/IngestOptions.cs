namespace Erp.Db.Ingest;

/// <summary>How an <see cref="Ingestor"/> runs its batches; see <see cref="Ingestor.With(IngestOptions)"/>.</summary>
public sealed record IngestOptions
{
    /// <summary>The defaults: batches are committed, and up to 100 bad rows are reported per rejected batch.</summary>
    public static IngestOptions Default { get; } = new();

    /// <summary>
    /// Runs every step of a batch (copy, checks, upsert, posting) and then rolls it back: the result says what would be inserted,
    /// updated and left alone, and a bad batch fails exactly as it would for real, but nothing is ever written.
    /// </summary>
    public bool DryRun { get; init; }

    /// <summary>How many bad rows a rejected batch reports at most in <see cref="IngestException.Errors"/> (at least 1; default 100).</summary>
    public int MaxErrors { get; init; } = 100;
}

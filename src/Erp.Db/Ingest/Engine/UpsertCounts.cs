namespace Erp.Db.Ingest.Engine;

/// <summary>
/// What the upsert statement returned: rows inserted and rows updated (the rest were unchanged); and the stored rows a replacing
/// batch deleted (<see cref="EntityDefinition{TRow}.ReplaceSet"/>), set after the upsert.
/// </summary>
internal sealed record UpsertCounts(long Inserted, long Updated)
{
    /// <summary>Stored rows the batch deleted as no longer in the set it replaces.</summary>
    public long Deleted { get; init; }
}

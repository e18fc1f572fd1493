namespace Erp.Db.Ingest.Engine;

/// <summary>What the upsert statement returned: rows inserted and rows updated (the rest were unchanged).</summary>
internal sealed record UpsertCounts(long Inserted, long Updated);

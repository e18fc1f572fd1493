namespace Erp.Db.Migrations.Engine;

/// <summary>A recorded object missing or changed since migrate recorded it.</summary>
/// <param name="Kind"><c>index</c>, <c>trigger</c>, <c>constraint</c>, <c>policy</c> or <c>row level security</c>.</param>
/// <param name="TableName">Its table or materialized view, schema-qualified.</param>
/// <param name="Name">Its name (for row level security, the table's).</param>
/// <param name="Recorded">The statement that makes it as migrate left it.</param>
/// <param name="Current">Its definition now; null when it is missing.</param>
/// <param name="Severity"><c>error</c> or <c>warning</c> (docs/doctor.md).</param>
/// <param name="DropStatement">What drops the changed object before <paramref name="Recorded"/> runs again; null for row level security.</param>
internal sealed record SchemaObjectDrift(string Kind, string TableName, string Name, string Recorded, string? Current, string Severity, string? DropStatement);

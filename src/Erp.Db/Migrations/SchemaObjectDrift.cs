namespace Erp.Db.Migrations;

/// <summary>
/// An object of the warehouse changed by hand since <c>erpdb migrate</c> recorded it (<c>ops.schema_objects</c>, docs/doctor.md, ERPDB020):
/// an index, trigger, constraint, policy, row level security flag, column NOT NULL or default, or privilege missing or defined
/// otherwise, or a privilege of erp_owner, erp_reader, erp_writer or PUBLIC granted since.
/// </summary>
/// <param name="Kind"><c>index</c>, <c>trigger</c>, <c>constraint</c>, <c>policy</c>, <c>row level security</c>, <c>not null</c>, <c>default</c> or <c>privilege</c>.</param>
/// <param name="TableName">Its table or materialized view, schema-qualified; for a privilege, the table, view or function it is on.</param>
/// <param name="Name">Its name; for not null and default, the column; for a privilege, the privilege and grantee (<c>SELECT to erp_reader</c>); for row level security, the table's.</param>
/// <param name="Recorded">The statement that makes it as migrate left it; null for a privilege granted since.</param>
/// <param name="Current">Its definition now; null when it is missing.</param>
/// <param name="Severity"><c>error</c> or <c>warning</c> (docs/doctor.md).</param>
/// <param name="DropStatement">What drops the changed object (revokes the privilege) before <paramref name="Recorded"/> runs again; null when the recorded statement replaces it.</param>
public sealed record SchemaObjectDrift(string Kind, string TableName, string Name, string? Recorded, string? Current, string Severity, string? DropStatement)
{
    /// <summary>What it is, e.g. <c>index mv_daily_sales_key on mart.mv_daily_sales</c> or <c>privilege SELECT to erp_reader on dw.fact_expenses</c>.</summary>
    public string ObjectName => Kind == "row level security" ? $"row level security on {TableName}" : $"{Kind} {Name} on {TableName}";

    /// <summary>True for an error (the check fails, <c>erpdb verify</c> exits 4); false for a warning.</summary>
    public bool IsError => Severity == "error";

    /// <summary>What happened to it, with its definition now when it was changed.</summary>
    public string Problem => Recorded is null
        ? $"granted by hand since erpdb migrate recorded the privileges: {Current}"
        : Current is null
            ? $"erpdb migrate left this {Kind} but it is missing now ({(Kind == "privilege" ? "revoked" : "dropped")} by hand?)"
            : $"its definition differs from what erpdb migrate left; now: {Current}";

    /// <summary>The statements that put it back as migrate left it, run as a member of erp_owner, or what forgets (or records) the change to keep it.</summary>
    public string Fix => Recorded is null
        ? $"Run, as a member of erp_owner: {DropStatement}; (or, to keep the change, record it: INSERT INTO ops.schema_objects (object_kind, table_name, object_name, definition, journal_id) "
          + $"SELECT 'privilege', {Literal(TableName)}, {Literal(Name)}, {Literal(Current!)}, max(journal_id) FROM ops.schema_journal)"
        : "Run, as a member of erp_owner: "
          + (Current is not null && DropStatement is { } drop ? $"{drop}; " : "")
          + $"{Recorded}; (or, to keep the change, forget it: DELETE FROM ops.schema_objects WHERE object_kind = '{Kind}' "
          + $"AND table_name = {Literal(TableName)} AND object_name = {Literal(Name)})";

    private static string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";
}

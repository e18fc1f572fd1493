namespace Erp.Db.Ingest.Engine;

/// <summary>The SQL of one entity's ingest, built once from its <see cref="EntityDefinition{TRow}"/>.</summary>
internal sealed class IngestPlan<TRow>
{
    /// <summary>The temp table every batch loads into; dropped at the end of the batch's transaction.</summary>
    public const string TempTable = "pg_temp.ingest_rows";

    public IngestPlan(string entity, EntityDefinition<TRow> definition)
    {
        Entity = entity;
        Definition = definition;
        var fields = definition.Fields.Select(f => f.Name).ToList();
        CreateTempTable = $"CREATE TEMP TABLE ingest_rows (row_no bigint NOT NULL, {string.Join(", ", definition.Fields.Select(f => $"{f.Name} {f.SqlType}"))}) ON COMMIT DROP";
        Copy = $"COPY {TempTable} (row_no, {string.Join(", ", fields)}) FROM STDIN (FORMAT BINARY)";
        Check = BuildCheck(definition.Checks);
        Upsert = BuildUpsert(definition);
        Post = definition.Post;
        Duplicate = $"""
            SELECT min(o.row_no) FROM {TempTable} AS o JOIN {TempTable} AS t ON t.row_no = @row
            WHERE o.row_no < t.row_no AND ({string.Join(", ", definition.KeyFields.Select(k => $"o.{k}"))}) IS NOT DISTINCT FROM ({string.Join(", ", definition.KeyFields.Select(k => $"t.{k}"))})
            """;
    }

    /// <summary>The entity's name in messages and logs (orders, order-items, ...).</summary>
    public string Entity { get; }

    public EntityDefinition<TRow> Definition { get; }

    /// <summary>CREATE TEMP TABLE ingest_rows (row_no, fields...) ON COMMIT DROP.</summary>
    public string CreateTempTable { get; }

    /// <summary>The binary COPY into the temp table.</summary>
    public string Copy { get; }

    /// <summary>All checks in one query: (check_no, row_no, message) of the first failing row, or no row.</summary>
    public string Check { get; }

    /// <summary>The one upsert of rows 1..@last: returns (inserted, updated).</summary>
    public string Upsert { get; }

    /// <summary>The posting run after the upsert in the same transaction (reads the whole temp table), or null.</summary>
    public string? Post { get; }

    /// <summary>The earliest row before @row with the same natural key.</summary>
    public string Duplicate { get; }

    /// <summary>The input fields the given target column comes from (the column itself when it is not written).</summary>
    public IReadOnlyList<string> FieldsOf(string column) =>
        Definition.Columns.FirstOrDefault(c => c.Name == column)?.Fields ?? [column];

    /// <summary>SELECT field::text ... of row @row, for the fields named (which must be input fields).</summary>
    public string ValuesOf(IReadOnlyList<string> fields) =>
        $"SELECT {string.Join(", ", fields.Select(f => Definition.Fields.Single(d => d.Name == f).Name).Select(f => $"t.{f}::text"))} FROM {TempTable} AS t WHERE t.row_no = @row";

    private static string BuildCheck(IReadOnlyList<RowCheck> checks)
    {
        var branches = checks.Select((check, i) =>
            $"(SELECT {i} AS check_no, t.row_no, ({check.Message})::text AS message FROM {TempTable} AS t WHERE {check.FailsWhen} ORDER BY t.row_no LIMIT 1)");
        return $"""
            SELECT c.check_no AS checkno, c.row_no AS rowno, c.message FROM (
                {string.Join("\n    UNION ALL\n    ", branches)}
            ) AS c
            ORDER BY c.row_no, c.check_no
            LIMIT 1
            """;
    }

    private static string BuildUpsert(EntityDefinition<TRow> definition)
    {
        var columns = definition.Columns.Select(c => c.Name).ToList();
        var updated = definition.Columns.Where(c => !c.InsertOnly && !definition.ConflictColumns.Contains(c.Name)).Select(c => c.Name).ToList();
        var predicate = definition.ConflictPredicate is null ? "" : $" WHERE {definition.ConflictPredicate}";
        // created_at defaults to now(), the transaction's timestamp, and an update never changes it: so a returned row
        // is new exactly when created_at = now(). (PostgreSQL 15 cannot return xmax from a partitioned table.)
        // Nothing to update (every other column is insert-only): an existing key is left alone.
        var onConflict = updated.Count == 0
            ? "DO NOTHING"
            : $"""
                DO UPDATE
                SET {string.Join(", ", updated.Select(c => $"{c} = EXCLUDED.{c}"))}
                WHERE ({string.Join(", ", updated.Select(c => $"d.{c}"))}) IS DISTINCT FROM ({string.Join(", ", updated.Select(c => $"EXCLUDED.{c}"))})
                """;
        return $"""
            WITH upserted AS (
                INSERT INTO {definition.Table} AS d ({string.Join(", ", columns)})
                SELECT {string.Join(", ", definition.Columns.Select(c => c.Source))}
                FROM {TempTable} AS t{definition.Joins}
                WHERE t.row_no <= @last
                ON CONFLICT ({string.Join(", ", definition.ConflictColumns)}){predicate} {onConflict}
                RETURNING d.created_at = now() AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM upserted
            """;
    }
}

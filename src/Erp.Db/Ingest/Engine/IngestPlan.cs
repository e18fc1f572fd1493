namespace Erp.Db.Ingest.Engine;

/// <summary>The SQL of one entity's ingest, built once from its <see cref="EntityDefinition{TRow}"/>.</summary>
internal sealed class IngestPlan<TRow>
{
    /// <summary>The name of the temp table every batch loads into (<see cref="TempTable"/>).</summary>
    public const string TempTableName = "ingest_rows";

    /// <summary>The temp table every batch loads into; dropped at the end of the batch's transaction.</summary>
    public const string TempTable = "pg_temp." + TempTableName;

    /// <summary>The keys (conflict columns) of the rows the entity's move step gave a new key: they count as updated.</summary>
    public const string MovedTable = "pg_temp.ingest_moved";

    /// <summary>The temp table <see cref="UpdateStored"/> holds the batch's stored rows in, with their new values, while it updates them.</summary>
    private const string StoredTableName = "ingest_stored";

    public IngestPlan(string entity, EntityDefinition<TRow> definition)
        : this(entity, definition, keepStoredCurrency: false)
    {
    }

    private IngestPlan(string entity, EntityDefinition<TRow> definition, bool keepStoredCurrency)
    {
        Entity = entity;
        Definition = definition;
        KeepsStoredCurrency = keepStoredCurrency;
        Resolve = definition.Currency is { } currency ? [.. definition.Resolve, currency.Fill(keepStoredCurrency)] : definition.Resolve;
        var fields = definition.Fields.Select(f => f.Name).ToList();
        CreateTempTable = $"CREATE TEMP TABLE {TempTableName} (row_no bigint NOT NULL, {string.Join(", ", definition.Fields.Select(f => $"{f.Name} {f.SqlType}"))}) ON COMMIT DROP";
        Check = BuildCheck(definition.Checks, _ => true);
        // A check whose field is not an input field would never be watched, so never run: refuse the definition instead.
        if (definition.Checks.FirstOrDefault(c => c.OnlyWhenGiven is { } field && !fields.Contains(field)) is { } unwatched)
        {
            throw new ArgumentException($"A check of {entity} runs only when '{unwatched.OnlyWhenGiven}' is given, which is not one of its fields.", nameof(definition));
        }
        Watched = [.. definition.Fields.Where(f => definition.Checks.Any(c => c.OnlyWhenGiven == f.Name))];
        Upsert = BuildUpsert(definition, "");
        // created_at is NOT NULL in every table ingest writes, and now() for the rows this transaction inserted: a row is new when its
        // stored row is missing, or when its parent was inserted by this transaction (nothing can be stored under a new parent's key).
        var (isNew, isStored) = definition.StoredRow is { } stored ? ($"{stored}.created_at IS NULL", $"{stored}.created_at <> now()")
            : definition.NewUnderNewParent is { } parent ? ($"{parent}.created_at = now()", $"{parent}.created_at <> now()")
            : (null, null);
        if (isNew is not null)
        {
            InsertNew = $"""
                INSERT INTO {definition.Table} ({string.Join(", ", definition.Columns.Select(c => c.Name))})
                SELECT {string.Join(", ", definition.Columns.Select(c => c.Source))}
                FROM {TempTable} AS t{definition.Joins}
                WHERE t.row_no <= @last AND {isNew}{OrderBy(definition)}
                """;
            UpsertStored = BuildUpsert(definition, $" AND {isStored}");
        }
        if (definition.StoredRow is { } storedRow)
        {
            UpdateStored = BuildUpdateStored(definition, storedRow);
        }
        Post = definition.Post;
        var keys = string.Join(", ", definition.KeyFields.Select(k => $"t.{k}"));
        // The key as the row gave it: merchant_code rather than merchant_id when the file named the merchant by its code.
        var keyNames = string.Join(", ", definition.KeyFields.Select(k =>
            k.EndsWith("_id", StringComparison.Ordinal) && fields.Contains(k[..^3] + "_code")
                ? $"CASE WHEN t.{k[..^3]}_code IS NOT NULL THEN '{k[..^3]}_code' ELSE '{k}' END"
                : $"'{k}'"));
        Duplicates = $"""
            SELECT d.row_no AS rowno, d.first_row AS firstrow, d.key_names AS keynames FROM (
                SELECT t.row_no, min(t.row_no) OVER (PARTITION BY {keys}) AS first_row, concat_ws(', ', {keyNames}) AS key_names
                FROM {TempTable} AS t
            ) AS d
            WHERE d.row_no > d.first_row
            ORDER BY d.row_no
            LIMIT @max
            """;
        CreateMovedTable = $"CREATE TEMP TABLE ingest_moved ON COMMIT DROP AS SELECT {string.Join(", ", definition.ConflictColumns)} FROM {definition.Table} WITH NO DATA";
        Move = definition.Move is null ? null : $"""
            WITH moved AS ({definition.Move})
            INSERT INTO {MovedTable} SELECT {string.Join(", ", definition.ConflictColumns)} FROM moved
            """;
        MoveWithField = definition.MoveWithField is null ? null : $"""
            WITH moved AS ({definition.MoveWithField})
            INSERT INTO {MovedTable} SELECT {string.Join(", ", definition.ConflictColumns)} FROM moved
            """;
        if (definition.MoveWhenOf is { } moveWhenOf)
        {
            KeysQuery = KeyedQuestion.KeysQuery(definition.KeyFields);
            KeyTypes = [.. definition.KeyFields.Select(k => definition.Fields.Single(f => f.Name == k).SqlType)];
            MoveWhenOfKeys = moveWhenOf(KeyedQuestion.Rows(definition.KeyFields, KeyTypes));
        }
        Duplicate = $"""
            SELECT min(o.row_no) FROM {TempTable} AS o JOIN {TempTable} AS t ON t.row_no = @row
            WHERE o.row_no < t.row_no AND ({string.Join(", ", definition.KeyFields.Select(k => $"o.{k}"))}) IS NOT DISTINCT FROM ({string.Join(", ", definition.KeyFields.Select(k => $"t.{k}"))})
            """;
    }

    /// <summary>The entity's name in messages and logs (orders, order-items, ...).</summary>
    public string Entity { get; }

    public EntityDefinition<TRow> Definition { get; }

    /// <summary>
    /// The statements run on the temp table after the COPY, before the checks: the entity's <see cref="EntityDefinition{TRow}.Resolve"/>,
    /// then the fill of its <see cref="EntityDefinition{TRow}.Currency"/> rule.
    /// </summary>
    public IReadOnlyList<ResolveStep> Resolve { get; }

    /// <summary><see cref="Resolve"/> for a batch of <paramref name="rows"/> that gives the fields <paramref name="given"/>, as one command (<see cref="ResolveStep.Command"/>).</summary>
    public string ResolveOf(long rows, IReadOnlySet<string> given) =>
        ResolveStep.Command(Resolve, given, rows);

    /// <summary>Whether a row without currency_code keeps the stored row's currency: the batch leaves currency_code out.</summary>
    private bool KeepsStoredCurrency { get; }

    /// <summary>CREATE TEMP TABLE ingest_rows (row_no, fields...) ON COMMIT DROP.</summary>
    public string CreateTempTable { get; }

    /// <summary>The binary COPY of <paramref name="copied"/> (with row_no first) into the temp table; the fields left out stay NULL.</summary>
    public static string CopyOf(IEnumerable<IngestField<TRow>> copied) =>
        $"COPY {TempTable} ({string.Join(", ", copied.Select(f => f.Name).Prepend("row_no"))}) FROM STDIN (FORMAT BINARY)";

    /// <summary>All checks in one query: (check_no, row_no, message) of the first @max failures in row order, or no row.</summary>
    public string Check { get; }

    /// <summary>The fields some check needs given (<see cref="RowCheck.OnlyWhenGiven"/>): the COPY notes whether any row gives them.</summary>
    public IReadOnlyList<IngestField<TRow>> Watched { get; }

    /// <summary><see cref="Check"/> without the checks whose <see cref="RowCheck.OnlyWhenGiven"/> field no row gave.</summary>
    public string CheckOf(IReadOnlySet<string> given) =>
        Watched.All(f => given.Contains(f.Name)) ? Check : BuildCheck(Definition.Checks, c => c.OnlyWhenGiven is not { } field || given.Contains(field));

    /// <summary>The one upsert of every row 1..@last (or, after <see cref="InsertNew"/> hit a unique violation, instead of it): returns (inserted, updated).</summary>
    public string Upsert { get; }

    /// <summary>
    /// A plain INSERT of the rows 1..@last whose key is not stored (see <see cref="EntityDefinition{TRow}.StoredRow"/> and
    /// <see cref="EntityDefinition{TRow}.NewUnderNewParent"/>), or null
    /// when the entity cannot tell. A key stored meanwhile by another transaction, or held twice by the batch, makes it fail
    /// with a unique violation; the caller then runs <see cref="Upsert"/> instead.
    /// </summary>
    public string? InsertNew { get; }

    /// <summary><see cref="Upsert"/> of the rows 1..@last whose key was stored before this transaction, after <see cref="InsertNew"/>.</summary>
    public string? UpsertStored { get; }

    /// <summary>
    /// <see cref="UpsertStored"/> as a plain UPDATE ... FROM (the same counts, inserted always 0), or null when the entity has no
    /// <see cref="EntityDefinition{TRow}.StoredRow"/>, nothing to update or a partial conflict key. Its rows are stored already, and ON
    /// CONFLICT's speculative insertion, a probe of the key's index per row before it meets the conflict, is work an UPDATE joined to
    /// them by hash does not do (docs/batch-plans.md, "The stored half of a batch by UPDATE"). A row another transaction deleted or
    /// re-keyed since the batch found it stored stays so, as if that transaction had come after the batch. The UPDATE locks rows in
    /// its join's order, not the key's: a batch runs it only while it holds its merchants' ingest lock alone (BatchLoader).
    /// </summary>
    public string? UpdateStored { get; }

    /// <summary>The posting run after the upsert in the same transaction (reads the whole temp table), or null.</summary>
    public string? Post { get; }

    /// <summary>The entity's move step (see <see cref="EntityDefinition{TRow}.Move"/>) recording what it moved in <see cref="MovedTable"/>, or null.</summary>
    public string? Move { get; }

    /// <summary><see cref="Move"/> for a batch that gives <see cref="EntityDefinition{TRow}.MoveField"/>, or null.</summary>
    public string? MoveWithField { get; }

    /// <summary>The batch's <see cref="EntityDefinition{TRow}.KeyFields"/> as arrays (<see cref="KeyedQuestion.KeysQuery"/>), for <see cref="MoveWhenOfKeys"/>.</summary>
    public string? KeysQuery { get; }

    /// <summary>The SQL types of the key fields, in <see cref="KeysQuery"/>'s order.</summary>
    public IReadOnlyList<string> KeyTypes { get; } = [];

    /// <summary>The move question of a small batch, over its keys as parameters (<see cref="EntityDefinition{TRow}.MoveWhenOf"/>), or null.</summary>
    public string? MoveWhenOfKeys { get; }

    /// <summary>Creates the empty <see cref="MovedTable"/> of an entity with a <see cref="Move"/>, which its upsert counts read whether or not the Move runs.</summary>
    public string CreateMovedTable { get; }

    /// <summary>Up to @max rows (row_no, first_row, key_names) whose natural key an earlier row of the batch already has; key_names names the key's fields as the row gave them.</summary>
    public string Duplicates { get; }

    /// <summary>The earliest row before @row with the same natural key.</summary>
    public string Duplicate { get; }

    /// <summary>
    /// This plan, or, for rows that carry values for <paramref name="supplied"/> fields only (<see cref="IngestOptions.SuppliedFields"/>), one
    /// whose upsert leaves a stored row's columns as they are where every field they come from is missing: written when a row is
    /// inserted, never by an update. A field named <c>X_code</c> supplies the column <c>X_id</c> it resolves to. Columns that come
    /// from no field, or are <see cref="TargetColumn.DerivedWhenMissing"/>, are written as always. Without currency_code, a stored row
    /// also keeps its currency for the rules that read it (its exchange rate, derived again, is its currency's; see <see cref="CurrencyRule"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A supplied name is not a field of the entity.</exception>
    public IngestPlan<TRow> Supplying(IReadOnlySet<string>? supplied)
    {
        if (supplied is null)
        {
            return this;
        }
        var fields = Definition.Fields.Select(f => f.Name).ToHashSet();
        if (supplied.FirstOrDefault(f => !fields.Contains(f)) is { } unknown)
        {
            throw new ArgumentException(
                $"'{unknown}' is not a field of {Entity}; its fields are {string.Join(", ", fields)}.", nameof(supplied));
        }
        bool Supplied(string field) => supplied.Contains(field)
            || (field.EndsWith("_id", StringComparison.Ordinal) && supplied.Contains(field[..^3] + "_code"));
        var kept = Definition.Columns.Where(c => !c.InsertOnly && !c.DerivedWhenMissing && c.Fields.Count > 0 && !c.Fields.Any(Supplied)).ToHashSet();
        var keepStoredCurrency = Definition.Currency is not null && !supplied.Contains("currency_code");
        return kept.Count == 0 && keepStoredCurrency == KeepsStoredCurrency
            ? this
            : new IngestPlan<TRow>(Entity, Definition with { Columns = [.. Definition.Columns.Select(c => kept.Contains(c) ? c with { InsertOnly = true } : c)] },
                keepStoredCurrency);
    }

    /// <summary>The input fields the given target column comes from (the column itself when it is not written).</summary>
    public IReadOnlyList<string> FieldsOf(string column) =>
        Definition.Columns.FirstOrDefault(c => c.Name == column)?.Fields ?? [column];

    /// <summary>SELECT field::text ... of row @row, for the fields named (which must be input fields).</summary>
    public string ValuesOf(IReadOnlyList<string> fields) =>
        $"SELECT {string.Join(", ", fields.Select(f => Definition.Fields.Single(d => d.Name == f).Name).Select(f => $"t.{f}::text"))} FROM {TempTable} AS t WHERE t.row_no = @row";

    /// <summary>The checks <paramref name="included"/> in one query; check_no stays the check's position in <paramref name="checks"/>.</summary>
    private static string BuildCheck(IReadOnlyList<RowCheck> checks, Func<RowCheck, bool> included)
    {
        var branches = checks.Select((check, i) => (check, i)).Where(c => included(c.check)).Select(c =>
            $"(SELECT {c.i} AS check_no, t.row_no, ({c.check.Message})::text AS message FROM {TempTable} AS t WHERE {c.check.FailsWhen} ORDER BY t.row_no LIMIT @max)");
        return $"""
            SELECT c.check_no AS checkno, c.row_no AS rowno, c.message FROM (
                {string.Join("\n    UNION ALL\n    ", branches)}
            ) AS c
            ORDER BY c.row_no, c.check_no
            LIMIT @max
            """;
    }

    private static string OrderBy(EntityDefinition<TRow> definition) =>
        definition.WriteOrder is null ? "" : $"\n    ORDER BY {definition.WriteOrder}";

    /// <summary>The target columns an upsert or update writes into a stored row: all but the conflict key and the insert-only ones.</summary>
    private static List<string> UpdatedColumns(EntityDefinition<TRow> definition) =>
        [.. definition.Columns.Where(c => !c.InsertOnly && !definition.ConflictColumns.Contains(c.Name)).Select(c => c.Name)];

    /// <summary>
    /// The moved keys (<see cref="MovedTable"/>) that the CTE <c>upserted</c> did not return, as a term to add to its count of updated
    /// rows: a row the move step re-keyed counts as updated once, whether or not the upsert then changed it too. "" without a move step.
    /// </summary>
    private static string MovedNotUpserted(EntityDefinition<TRow> definition)
    {
        var conflict = definition.ConflictColumns;
        return definition.Move is null ? "" : $" + (SELECT count(*) FROM {MovedTable} AS m WHERE NOT EXISTS (SELECT 1 FROM upserted AS u WHERE "
            + $"({string.Join(", ", conflict.Select(c => $"u.{c}"))}) = ({string.Join(", ", conflict.Select(c => $"m.{c}"))})))";
    }

    private static string? BuildUpdateStored(EntityDefinition<TRow> definition, string stored)
    {
        var updated = UpdatedColumns(definition);
        if (updated.Count == 0 || definition.ConflictPredicate is not null)
        {
            return null;
        }
        var conflict = definition.ConflictColumns;
        string Row(string alias, IEnumerable<string> names) => string.Join(", ", names.Select(c => $"{alias}.{c}"));
        // The stored rows of a date-partitioned fact lie in the batch's days: the bound prunes the join to their partitions.
        var bound = definition.DaysField is { } days && conflict.Contains(days) ? $" AND d.{days} {BatchDays.Range}" : "";
        // The batch's stored rows are found first, as the upsert finds them (one hash join with the orders), into a table of their
        // own whose statistics say how many they are; the UPDATE then joins them by hash too. As a subquery or a CTE they were
        // estimated at a few rows (a join on four key columns), and the UPDATE probed the target per row in each of the batch's
        // partitions: 2.95 s per 100,000 orders, against 2.6 s by the upsert.
        return $"""
            CREATE TEMP TABLE {StoredTableName} ON COMMIT DROP AS
            SELECT {string.Join(", ", definition.Columns.Select(c => $"{c.Source} AS {c.Name}"))}
            FROM {TempTable} AS t{definition.Joins}
            WHERE t.row_no <= @last AND {stored}.created_at <> now();
            ANALYZE pg_temp.{StoredTableName};
            WITH upserted AS (
                UPDATE {definition.Table} AS d
                SET {string.Join(", ", updated.Select(c => $"{c} = s.{c}"))}
                FROM pg_temp.{StoredTableName} AS s
                WHERE ({Row("d", conflict)}) = ({Row("s", conflict)}){bound}
                  AND ({Row("d", updated)}) IS DISTINCT FROM ({Row("s", updated)})
                RETURNING {Row("d", conflict)}
            )
            SELECT 0::bigint AS inserted, count(*){MovedNotUpserted(definition)} AS updated FROM upserted;
            DROP TABLE pg_temp.{StoredTableName}
            """;
    }

    private static string BuildUpsert(EntityDefinition<TRow> definition, string rowFilter)
    {
        var columns = definition.Columns.Select(c => c.Name).ToList();
        var updated = UpdatedColumns(definition);
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
        var returned = definition.Move is null ? "" : ", " + string.Join(", ", definition.ConflictColumns.Select(c => $"d.{c}"));
        return $"""
            WITH upserted AS (
                INSERT INTO {definition.Table} AS d ({string.Join(", ", columns)})
                SELECT {string.Join(", ", definition.Columns.Select(c => c.Source))}
                FROM {TempTable} AS t{definition.Joins}
                WHERE t.row_no <= @last{rowFilter}{OrderBy(definition)}
                ON CONFLICT ({string.Join(", ", definition.ConflictColumns)}){predicate} {onConflict}
                RETURNING d.created_at = now() AS inserted{returned}
            )
            SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted){MovedNotUpserted(definition)} AS updated FROM upserted
            """;
    }
}

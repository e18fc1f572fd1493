namespace Erp.Db.Ingest.Engine;

/// <summary>
/// Everything the shared ingest mechanism needs to know about one entity: the input fields (temp table and COPY),
/// the target table and how its columns are filled, the conflict key, and the checks that name bad rows.
/// Identifiers here are constants of the entity's file, never input.
/// </summary>
internal sealed record EntityDefinition<TRow>
{
    /// <summary>The schema-qualified target table, e.g. <c>dw.fact_sales_orders</c>.</summary>
    public required string Table { get; init; }

    /// <summary>The input fields, in COPY order.</summary>
    public required IReadOnlyList<IngestField<TRow>> Fields { get; init; }

    /// <summary>The natural key in input fields: two rows of one batch may not share it.</summary>
    public required IReadOnlyList<string> KeyFields { get; init; }

    /// <summary>The target columns the upsert writes (never generated columns).</summary>
    public required IReadOnlyList<TargetColumn> Columns { get; init; }

    /// <summary>The target columns of the unique key ON CONFLICT uses; they are not updated.</summary>
    public required IReadOnlyList<string> ConflictColumns { get; init; }

    /// <summary>The predicate of a partial unique index the key is (e.g. <c>reference_no IS NOT NULL</c>), or null.</summary>
    public string? ConflictPredicate { get; init; }

    /// <summary>Joins from the temp row <c>t</c> to the tables that resolve natural keys to ids (e.g. SKU to product_id).</summary>
    public string Joins { get; init; } = "";

    /// <summary>
    /// The alias, among <see cref="Joins"/>, of the stored row with the batch row's conflict key (its columns NULL when there is
    /// none), or null. With it, ingest inserts the rows whose key is not stored by plain INSERT (ON CONFLICT's speculative
    /// insertion costs a quarter more per row) and upserts the others, telling them apart at no extra cost; without it, every
    /// row goes through the upsert. (A NOT EXISTS probe instead cost more than it saved: 33 µs a row through the partitions.)
    /// Orders have it: their natural-key join is planned as one hash join. Order items do not: a look-up of the stored line
    /// by its key without the product was planned on the (merchant_id, order_date) index, before the batch's statistics,
    /// and read the day's lines per row (9.8 s against 6.8 s for 200,000 lines, in two auto_explain runs); they tell the lines
    /// of new orders by <see cref="NewUnderNewParent"/> instead.
    /// </summary>
    public string? StoredRow { get; init; }

    /// <summary>
    /// The alias, among <see cref="Joins"/> (joined inner), of a parent row such that a row whose parent this transaction inserted
    /// is new (its key holds the parent's new id), or null. Without a <see cref="StoredRow"/>, ingest then inserts those rows by
    /// plain INSERT and upserts the others, as for stored rows: the lines of new orders, most of an import of orders with their
    /// lines, skip ON CONFLICT's probe of the lines' key.
    /// </summary>
    public string? NewUnderNewParent { get; init; }

    /// <summary>
    /// Whether a batch takes its merchants' ingest lock before it writes (shared, or alone when it updates its stored rows by UPDATE;
    /// see <see cref="IngestPlan{TRow}.UpdateStored"/>): the entities whose writes lock orders, so that a batch updating them in its
    /// join's order never deadlocks with another writing them. Needs a merchant_id field.
    /// </summary>
    public bool LocksMerchants { get; init; }

    /// <summary>
    /// The order the rows are written in (an ORDER BY list over the temp row <c>t</c> and the joins), or null to write them
    /// as the batch holds them. A partitioned fact sorted by its partition key first fills one partition, and its date-led
    /// indexes, in key order instead of jumping between days: 200,000 orders of 365 interleaved days went in in 6.7-7.2 s
    /// sorted against 8.2-10.0 s as given (docs/performance.md, "Rows written in key order").
    /// </summary>
    public string? WriteOrder { get; init; }

    /// <summary>
    /// SQL run after a successful upsert, before the commit: posts what the batch wrote to the books (sql/functions dw.post_*),
    /// finding it through the temp table <c>pg_temp.ingest_rows</c>. Null when the entity posts nothing.
    /// </summary>
    public string? Post { get; init; }

    /// <summary>
    /// A query (one boolean, over <c>pg_temp.ingest_rows</c>) saying whether the rows the batch inserted or changed can need the
    /// <see cref="Post"/>; null when they always can. A batch skips the posting, and the statistics taken for it, when this says false.
    /// </summary>
    public string? PostsWhen { get; init; }

    /// <summary>
    /// Whether a stored row the batch left as it was needs no posting: the call that last wrote it posted it, and the posting reads
    /// nothing else a re-import could have changed. A batch that changed no stored row (updated or moved) and inserted none then posts
    /// nothing. False when an unchanged row can still need posting.
    /// </summary>
    public bool PostsChangedRowsOnly { get; init; }

    /// <summary>
    /// A DELETE run after the upsert when <see cref="IngestOptions.ReplaceOrderLines"/> is set: the stored rows of the batch's parents
    /// (an order's lines) that the batch does not name, so that the batch is each parent's whole set. A query whose one value, the
    /// number of rows it deleted, is reported as
    /// <see cref="IngestResult.Deleted"/>, and a batch that deleted a row is posted (the <see cref="Post"/> takes back what the row had
    /// posted). Null when the entity has no such set.
    /// </summary>
    public string? ReplaceSet { get; init; }

    /// <summary>
    /// The date field whose first and last value in the batch bound the statements that read a date-partitioned fact by the rows'
    /// days (<see cref="BatchDays"/>), or null when the entity's statements read none so.
    /// </summary>
    public string? DaysField { get; init; }

    /// <summary>
    /// An UPDATE ... RETURNING the conflict columns, run after the checks and before the upsert, that gives stored rows a corrected key
    /// (e.g. an order whose order_date changed), so the upsert updates them instead of inserting a second row. Null when keys never move.
    /// </summary>
    public string? Move { get; init; }

    /// <summary>
    /// A query (one boolean, over <c>pg_temp.ingest_rows</c>) saying whether the batch moves any stored key; the <see cref="Move"/>
    /// runs only when it says true. Null when the Move always runs. Ask it as a count, not as EXISTS: PostgreSQL plans an EXISTS to
    /// stop at a first match, which a batch that moves nothing never finds (orders: every partition probed per row, 35 s for 200,000).
    /// </summary>
    public string? MoveWhen { get; init; }

    /// <summary>
    /// <see cref="MoveWhen"/> over the given FROM item of the batch's rows <c>t</c> (their <see cref="KeyFields"/> only), or null: a batch
    /// of a few rows asks it of its keys by a prepared statement whose plan outlives the batch (<see cref="KeyedQuestion"/>), instead of
    /// planning it over the temp table and every partition again.
    /// </summary>
    public Func<string, string>? MoveWhenOf { get; init; }

    /// <summary>
    /// A field whose rows can move stored keys in another way (an order's previous_shop_code), or null. When some row of the batch
    /// gives it (it must be watched: a check's <see cref="RowCheck.OnlyWhenGiven"/>), <see cref="MoveWhenWithField"/> and
    /// <see cref="MoveWithField"/> run instead of <see cref="MoveWhen"/> and <see cref="Move"/>, so a batch without it plans only the usual move.
    /// </summary>
    public string? MoveField { get; init; }

    /// <summary><see cref="MoveWhen"/> for a batch that gives <see cref="MoveField"/>.</summary>
    public string? MoveWhenWithField { get; init; }

    /// <summary><see cref="Move"/> for a batch that gives <see cref="MoveField"/>.</summary>
    public string? MoveWithField { get; init; }

    /// <summary>
    /// Statements run on the temp table right after the COPY, before the checks: each fills an id from a natural key
    /// (merchant_code, shop_code, customer_code, ...) with one set-based UPDATE ... FROM the dimension (see <see cref="NaturalKeys"/>),
    /// or adds a column of the batch's own and fills it so (a payment's receivable, from its invoice or order number).
    /// </summary>
    public IReadOnlyList<ResolveStep> Resolve { get; init; } = [];

    /// <summary>
    /// The currency rule of an entity with amounts in a currency (currency_code and exchange_rate), or null: its fill runs after
    /// <see cref="Resolve"/>, so the checks and the upsert read the currency and rate the row will be stored with.
    /// </summary>
    public CurrencyRule? Currency { get; init; }

    /// <summary>Checks run before the upsert; the first failing row (then the first check) is reported.</summary>
    public required IReadOnlyList<RowCheck> Checks { get; init; }
}

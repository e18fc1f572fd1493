using System.Diagnostics;
using Dapper;
using Erp.Db.Partitions;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Ingest.Engine;

/// <summary>
/// The one ingest mechanism all entities share: in one transaction, binary COPY of the rows into a temp table
/// (streamed, with each row's position as row_no), the entity's checks and the table's CHECK constraints naming every bad row
/// (up to MaxErrors), then one
/// plain INSERT of the new keys and an INSERT ... ON CONFLICT DO UPDATE ... WHERE IS DISTINCT FROM of the stored ones (a large batch
/// of orders: one UPDATE of them, see <see cref="IngestPlan{TRow}.UpdateStored"/>),
/// counting inserted and updated rows, then the entity's posting (orders drive the books), all committed together.
/// </summary>
internal sealed class BatchLoader(NpgsqlDataSource dataSource, ILogger logger, IngestOptions options)
{
    private const string UpsertSavepoint = "ingest_upsert";

    /// <summary>
    /// Whether the batch may keep statements prepared on its connection: not when the connection string says <c>Max Auto Prepare=0</c>,
    /// nor with Npgsql's multiplexing, which prepares nothing explicitly.
    /// </summary>
    private readonly bool prepares = !ErpDatabase.TurnsPreparationOff(dataSource.ConnectionString)
        && !new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Multiplexing;
    private const string InsertSavepoint = "ingest_insert_new";
    private const string ConstraintsSavepoint = "ingest_constraints";

    /// <summary>
    /// Room in memory for the batch's temp table. Temp tables live in the session's own buffers, 8 MB by default, so a batch of
    /// 200,000 orders (about 40 MB) went to disk and back in each pass over it: the COPY, the currency fill, the checks, the upsert.
    /// With 256 MB its passes run in memory (about 1.5 s less per 200,000 orders). The buffers are taken as the table grows,
    /// not up front, and stay with the connection until it closes. PostgreSQL fixes their number at the session's first use of a
    /// temp table and refuses another afterwards, so the setting is asked only of a session that has no temp schema yet (a
    /// pooled connection that ran a batch before keeps the 256 MB it fixed then; one that used temp tables otherwise keeps its own).
    /// </summary>
    private const string TempBuffers = "CASE WHEN pg_catalog.pg_my_temp_schema() = 0 THEN pg_catalog.set_config('temp_buffers', '256MB', true) END";

    /// <summary>
    /// Memory for each hash and sort of the batch's statements, when the session has less. With PostgreSQL's default of 4 MB, the
    /// upsert's hash join of 200,000 rows with the stored orders ran in 16 batches written to disk, and its sort in write order
    /// spilled too (external merge, 11 MB); with 64 MB, the stock posting of 400,000 lines still sorted its movements on disk twice
    /// (43 and 51 MB), which 256 MB keeps in memory. A batch is one session doing few large joins, the case work_mem is meant to be
    /// raised for; it is a ceiling per sort or hash, not an allocation: a batch of a few orders takes what it needs, and large batches
    /// at once take up to this each per sort or hash (on a server short of memory, run large imports one after another). A session
    /// already given more (by a DBA, or ALTER ROLE) keeps what it has.
    /// </summary>
    private const string WorkMem = "CASE WHEN pg_catalog.pg_size_bytes(pg_catalog.current_setting('work_mem')) < pg_catalog.pg_size_bytes('256MB') "
        + "THEN pg_catalog.set_config('work_mem', '256MB', true) END";

    /// <summary>
    /// The batch's settings, in one round trip. JIT compiles the upsert and posting plans (an Append over every partition) for
    /// seconds, then runs them in milliseconds: measured at 13.7 s of 18 s for 20,000 orders. A batch's statements are set-based but
    /// short; compile nothing. Then the temp buffers (<see cref="TempBuffers"/>) and work_mem (<see cref="WorkMem"/>).
    /// </summary>
    private const string BatchSettings = "SET LOCAL jit = off; SELECT " + TempBuffers + ", " + WorkMem;

    /// <summary>Loads one entity's batch; a database without the warehouse's tables throws <see cref="WarehouseNotMigratedException"/>.</summary>
    public Task<IngestResult> LoadAsync<TRow>(IngestPlan<TRow> plan, IAsyncEnumerable<TRow> rows, CancellationToken cancellationToken) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => LoadOneAsync(plan, rows, cancellationToken));

    private async Task<IngestResult> LoadOneAsync<TRow>(IngestPlan<TRow> plan, IAsyncEnumerable<TRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        plan = plan.Supplying(options.SuppliedFields);
        var started = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        var staged = await StageAsync(connection, transaction, plan, rows, cancellationToken);
        if (staged.Count == 0)
        {
            return new IngestResult(0, 0, 0, Stopwatch.GetElapsedTime(started));
        }
        var counts = await WriteAsync(connection, transaction, plan, staged, cancellationToken);
        await EndAsync(transaction, cancellationToken);
        return Report(plan, staged.Count, counts, started);
    }

    /// <summary>
    /// Parents and their children in one transaction, so each parent is written once with what its children make of it. The
    /// children are staged first (COPY into the temp table) and summed by <paramref name="childSummary"/> (statements that fill a temp
    /// table the parent plan joins); then the parents are written and posted, then the children, as two batches of their own would be.
    /// An order's cost and units come from its lines: written separately, every order of a batch is written again when its lines
    /// arrive (docs/batch-plans.md, "Orders with their lines"). A bad row of either fails the whole call, its error naming which.
    /// The parents carry <see cref="IngestOptions.SuppliedFields"/>, the children <paramref name="childSupplied"/>. A database without the
    /// warehouse's tables throws <see cref="WarehouseNotMigratedException"/>.
    /// </summary>
    public Task<(IngestResult Parents, IngestResult Children)> LoadWithChildrenAsync<TParent, TChild>(
        IngestPlan<TParent> parentPlan, IAsyncEnumerable<TParent> parents, IngestPlan<TChild> childPlan, IAsyncEnumerable<TChild> children,
        IReadOnlySet<string>? childSupplied, IReadOnlyList<ResolveStep> childSummary, CancellationToken cancellationToken) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => LoadBothAsync(parentPlan, parents, childPlan, children, childSupplied, childSummary, cancellationToken));

    private async Task<(IngestResult Parents, IngestResult Children)> LoadBothAsync<TParent, TChild>(
        IngestPlan<TParent> parentPlan, IAsyncEnumerable<TParent> parents, IngestPlan<TChild> childPlan, IAsyncEnumerable<TChild> children,
        IReadOnlySet<string>? childSupplied, IReadOnlyList<ResolveStep> childSummary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parents);
        ArgumentNullException.ThrowIfNull(children);
        parentPlan = parentPlan.Supplying(options.SuppliedFields);
        childPlan = childPlan.Supplying(childSupplied);
        var started = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        Task Execute(string sql) => connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken));

        var stagedChildren = await StageAsync(connection, transaction, childPlan, children, cancellationToken);
        // The summary's statements, then the table out of the way: one command (one round trip), run in order.
        await Execute(ResolveStep.Command([.. childSummary, $"ALTER TABLE {IngestPlan<TChild>.TempTable} RENAME TO {StagedChildren}"], stagedChildren.Given, stagedChildren.Count));

        var stagedParents = await StageAsync(connection, transaction, parentPlan, parents, cancellationToken);
        var parentCounts = stagedParents.Count == 0 ? new UpsertCounts(0, 0) : await WriteOfAsync(connection, transaction, parentPlan, stagedParents, cancellationToken);
        await Execute($"DROP TABLE {IngestPlan<TParent>.TempTable}; DROP TABLE IF EXISTS {IngestPlan<TParent>.MovedTable}; "
            + $"ALTER TABLE pg_temp.{StagedChildren} RENAME TO {IngestPlan<TChild>.TempTableName}");
        var childCounts = stagedChildren.Count == 0 ? new UpsertCounts(0, 0) : await WriteOfAsync(connection, transaction, childPlan, stagedChildren, cancellationToken);

        await EndAsync(transaction, cancellationToken);
        return (Report(parentPlan, stagedParents.Count, parentCounts, started), Report(childPlan, stagedChildren.Count, childCounts, started));
    }

    /// <summary>The temp table the children of <see cref="LoadWithChildrenAsync"/> wait in while their parents are written.</summary>
    private const string StagedChildren = "ingest_staged_children";

    /// <summary><see cref="WriteAsync"/>, its row errors naming the entity they come from.</summary>
    private async Task<UpsertCounts> WriteOfAsync<TRow>(NpgsqlConnection connection, NpgsqlTransaction transaction, IngestPlan<TRow> plan, StagedRows staged, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteAsync(connection, transaction, plan, staged, cancellationToken);
        }
        catch (IngestException e)
        {
            throw e.Of(plan.Entity);
        }
    }

    /// <summary>
    /// Opens the batch's transaction with its settings (<see cref="BatchSettings"/>), first analysing, in a transaction of its own,
    /// the partitioned facts whose own statistics are missing or stale (<c>ops.analyze_stale_parents</c>: the planner estimates the
    /// batch's joins with them on those; docs/refresh.md, "Statistics of the partitioned facts"). Not in a dry run, which changes nothing.
    /// </summary>
    private async Task<NpgsqlTransaction> BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!options.DryRun)
        {
            await connection.ExecuteAsync(new CommandDefinition(ParentStatistics.AnalyzeStale, commandTimeout: 0, cancellationToken: cancellationToken));
        }
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(BatchSettings, transaction: transaction, cancellationToken: cancellationToken));
        return transaction;
    }

    /// <summary>Commits the batch, or rolls it back in a dry run.</summary>
    private async Task EndAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // Views over the touched tables are marked dirty by the statement-level triggers of the refresh layer,
        // inside this transaction: nothing else to do here.
        if (options.DryRun)
        {
            await transaction.RollbackAsync(cancellationToken);
        }
        else
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private IngestResult Report<TRow>(IngestPlan<TRow> plan, long count, UpsertCounts counts, long started)
    {
        var result = new IngestResult(counts.Inserted, counts.Updated, count - counts.Inserted - counts.Updated, Stopwatch.GetElapsedTime(started)) { Deleted = counts.Deleted };
        logger.LogInformation("{Mode} {Rows} {Entity} into {Table}: {Inserted} inserted, {Updated} updated, {Unchanged} unchanged in {Elapsed} ms",
            options.DryRun ? "Dry run (rolled back) of" : "Ingested", count, plan.Entity, plan.Definition.Table, result.Inserted, result.Updated, result.Unchanged, (long)result.Elapsed.TotalMilliseconds);
        return result;
    }

    /// <summary>Creates the batch's temp table and streams the rows into it; returns their number and the watched fields they give.</summary>
    private static async Task<StagedRows> StageAsync<TRow>(NpgsqlConnection connection, NpgsqlTransaction transaction, IngestPlan<TRow> plan, IAsyncEnumerable<TRow> rows,
        CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(plan.CreateTempTable, transaction: transaction, cancellationToken: cancellationToken));
        var staged = await CopyAsync(connection, plan, rows, cancellationToken);
        if (staged.Count > 0)
        {
            // Statistics of the batch, so the summaries, checks, upsert and posting join it by hash or by index as its size asks
            // (a never-analyzed temp table is planned as a thousand rows, whatever it holds), on a sample (ops.analyze_batch).
            await connection.ExecuteAsync(new CommandDefinition($"SELECT ops.analyze_batch('{IngestPlan<TRow>.TempTable}')", transaction: transaction, cancellationToken: cancellationToken));
        }
        return staged;
    }

    /// <summary>
    /// The staged batch into its table: natural keys resolved, every check, the upsert (bisected to the bad row when the database
    /// refuses one), then the entity's posting. Throws <see cref="IngestException"/> for bad rows.
    /// </summary>
    private async Task<UpsertCounts> WriteAsync<TRow>(NpgsqlConnection connection, NpgsqlTransaction transaction, IngestPlan<TRow> plan, StagedRows staged, CancellationToken cancellationToken)
    {
        var count = staged.Count;
        // The statistics of the facts the upsert joins, where earlier batches changed them since their last ANALYZE; then the batch's
        // days, in the same round trip.
        var days = BatchDays.None;
        if (plan.Definition.DaysField is { } daysField)
        {
            await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(
                (options.DryRun ? "" : AnalyzeChangedPartitions + ";\n") + BatchDays.Query(daysField), transaction: transaction, commandTimeout: 0,
                cancellationToken: cancellationToken));
            if (!options.DryRun)
            {
                await grid.ReadAsync<int>();
            }
            days = await grid.ReadSingleAsync<BatchDays>();
        }
        else
        {
            await AnalyzeChangedPartitionsAsync(connection, transaction, cancellationToken);
        }

        // The natural keys resolved, then (entities whose writes lock orders) the batch's merchants' ingest lock, in one round trip. A
        // large batch writes its stored rows by UPDATE (IngestPlan.UpdateStored), which locks them in its join's order: it holds the
        // lock alone, where batches that lock rows in key order share it. Taken before the checks, some of which lock orders. An
        // entity that takes no such lock never updates by UPDATE.
        var byUpdate = plan.UpdateStored is not null && plan.Definition.LocksMerchants && count >= options.UpdateStoredMinRows;
        var lockMerchants = !plan.Definition.LocksMerchants ? "" : byUpdate ? LockMerchantsAlone : LockMerchantsShared;
        if (string.Join(";\n", new[] { plan.ResolveOf(count, staged.Given), lockMerchants }.Where(s => s.Length > 0)) is { Length: > 0 } resolve)
        {
            await connection.ExecuteAsync(new CommandDefinition(resolve, days.With(), transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        }

        var max = options.MaxErrors;
        var failed = (await connection.QueryAsync<CheckFailure>(new CommandDefinition(
            plan.CheckOf(staged.Given), days.With(new
            {
                max,
                replaceLines = options.ReplaceOrderLines,
                checkWarehouses = options.NewWarehouses is not null,
                newWarehouses = options.NewWarehouses?.Select(w => w.ToLowerInvariant()).ToArray() ?? [],
                refuseLateCounts = options.RefuseLateCounts,
            }), transaction, commandTimeout: 0, cancellationToken: cancellationToken))).Select(f =>
            {
                var check = plan.Definition.Checks[f.CheckNo];
                return new IngestError(f.RowNo, check.Field, check.Constraint, f.Message);
            }).ToList();
        // Values the target columns would round or cut without a word (more decimals than a numeric column keeps), every row at once.
        if (await ColumnFitChecks.BuildAsync(connection, transaction, plan.Definition, staged.Given, cancellationToken) is { } fit)
        {
            failed.AddRange((await connection.QueryAsync<ColumnFitChecks.Failure>(new CommandDefinition(
                fit, new { max }, transaction, commandTimeout: 0, cancellationToken: cancellationToken)))
                .Select(f => new IngestError(f.RowNo, f.Field, null, f.Message)));
        }
        // The table's own rules too, every row at once (the upsert would stop at the first). An expression the temp row's types
        // cannot take (class 42: a function or operator of the column's type only) leaves those rules to the upsert and bisection.
        if (await ConstraintChecks.BuildAsync(connection, transaction, plan.Definition, cancellationToken) is { } constraints)
        {
            await transaction.SaveAsync(ConstraintsSavepoint, cancellationToken);
            try
            {
                // A row a check above already named keeps that message alone: the table's rules would repeat it in other
                // words, or report what follows from it (a negative quantity also breaks the line's discount bound).
                var named = failed.Select(f => f.RowNumber).ToHashSet();
                failed.AddRange((await connection.QueryAsync<ConstraintChecks.Failure>(new CommandDefinition(
                    constraints, new { max }, transaction, commandTimeout: 0, cancellationToken: cancellationToken)))
                    .Where(f => !named.Contains(f.RowNo))
                    .Select(f => new IngestError(f.RowNo, f.Field, f.ConstraintName, f.Message)));
                await transaction.ReleaseAsync(ConstraintsSavepoint, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState.StartsWith("42", StringComparison.Ordinal))
            {
                logger.LogDebug(e, "The CHECK constraints of {Table} cannot be asked of the temp rows; the upsert enforces them", plan.Definition.Table);
                await transaction.RollbackAsync(ConstraintsSavepoint, cancellationToken);
            }
        }
        if (failed.Count > 0)
        {
            // A row that repeats an earlier key fails checks that count the batch's rows together (a repeated payment reads as
            // an over-payment): its repetition is what the user must fix, so it is named instead.
            if (await DuplicatesAsync(connection, transaction, plan, null, cancellationToken) is { } repeats)
            {
                var repeatedRows = repeats.Errors.Select(d => d.RowNumber).ToHashSet();
                failed = [.. failed.Where(f => !repeatedRows.Contains(f.RowNumber)).Concat(repeats.Errors)];
            }
            throw new IngestException([.. failed.OrderBy(f => f.RowNumber).Take(max)]);
        }

        if (plan.Move is not null)
        {
            CommandDefinition Command(string sql) => new(sql, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken);
            await connection.ExecuteAsync(Command(plan.CreateMovedTable));
            var withField = plan.Definition.MoveField is { } moveField && staged.Given.Contains(moveField) && plan.MoveWithField is not null;
            var moveWhen = withField ? plan.Definition.MoveWhenWithField : plan.Definition.MoveWhen;
            // A batch of a few rows asks the usual question of its keys, by a statement whose plan outlives the batch (KeyedQuestion).
            var moves = moveWhen is null
                || (!withField && count <= KeyedQuestion.MaxRows && prepares && plan.MoveWhenOfKeys is { } ofKeys
                    ? await KeyedQuestion.AskAsync(connection, transaction, plan.KeysQuery!, ofKeys, plan.KeyTypes, cancellationToken)
                    : await connection.ExecuteScalarAsync<bool>(Command(moveWhen)));
            if (moves)
            {
                await connection.ExecuteAsync(Command(withField ? plan.MoveWithField! : plan.Move));
            }
        }

        await transaction.SaveAsync(UpsertSavepoint, cancellationToken);
        UpsertCounts counts;
        try
        {
            counts = await UpsertAsync(connection, transaction, plan, days, count, byUpdate, cancellationToken);
        }
        catch (PostgresException e) when (FailureLocator.IsRowError(e))
        {
            await transaction.RollbackAsync(UpsertSavepoint, cancellationToken);
            if (e.SqlState == PostgresErrorCodes.CardinalityViolation && await DuplicatesAsync(connection, transaction, plan, e, cancellationToken) is { } duplicates)
            {
                throw duplicates;
            }
            var locator = new FailureLocator(connection, transaction, days, cancellationToken);
            throw await locator.LocateAsync(plan, count, e, (last, ct) => UpsertAsync(connection, transaction, plan, days, last, byUpdate, ct));
        }

        // A key twice in the batch with the same values as the stored row changes nothing and raises nothing in the upsert
        // (its ON CONFLICT ... WHERE IS DISTINCT FROM skips both): it would count as unchanged twice. Only then is it looked for.
        if (counts.Inserted + counts.Updated < count && await DuplicatesAsync(connection, transaction, plan, null, cancellationToken) is { } repeated)
        {
            throw repeated;
        }

        // A replacing batch (an order's whole set of lines) deletes the stored rows it does not name; what they posted is taken back
        // by the posting, which runs whenever something was deleted.
        if (options.ReplaceOrderLines && plan.Definition.ReplaceSet is { } replace)
        {
            counts = counts with
            {
                Deleted = await connection.ExecuteScalarAsync<long>(new CommandDefinition(replace, days.With(), transaction, commandTimeout: 0, cancellationToken: cancellationToken)),
            };
        }

        if (plan.Post is not null && (counts.Deleted > 0 || await NeedsPostingAsync(connection, transaction, plan, count, counts, cancellationToken)))
        {
            // The posting reads what the upsert just wrote: its statistics first (a new month's partition is otherwise "empty").
            await AnalyzeChangedPartitionsAsync(connection, transaction, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(plan.Post, days.With(), transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        }

        return counts;
    }

    /// <summary>
    /// Whether the batch has anything to post: its stored rows always may, or only those it changed
    /// (<see cref="EntityDefinition{TRow}.PostsChangedRowsOnly"/>), and its new rows; then as the entity says (<see cref="EntityDefinition{TRow}.PostsWhen"/>).
    /// </summary>
    private static async Task<bool> NeedsPostingAsync<TRow>(NpgsqlConnection connection, NpgsqlTransaction transaction, IngestPlan<TRow> plan, long count,
        UpsertCounts counts, CancellationToken cancellationToken)
    {
        var stored = plan.Definition.PostsChangedRowsOnly ? counts.Updated > 0 : counts.Inserted < count;
        return (stored || counts.Inserted > 0) && (plan.Definition.PostsWhen is not { } when
            || await connection.ExecuteScalarAsync<bool>(new CommandDefinition(when, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken)));
    }

    /// <summary>
    /// <c>ops.analyze_changed_partitions</c> of the indexed columns only (docs/refresh.md, "Statistics of the newest days"); not in a dry run, whose rollback
    /// would undo the statistics but not PostgreSQL's count of the changes since them, leaving autovacuum to think them fresh.
    /// </summary>
    private async Task AnalyzeChangedPartitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (!options.DryRun)
        {
            await connection.ExecuteAsync(new CommandDefinition(AnalyzeChangedPartitions, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        }
    }

    /// <summary>
    /// Each merchant of the batch's ingest lock (<c>ops.lock_merchant_ingest</c>: a row lock only writers can take), in merchant
    /// order, held to the commit. Batches that write orders lock their rows in key order and share it; a batch that updates stored
    /// orders by UPDATE locks them in its join's order, which could deadlock with another batch writing the same orders, and so
    /// holds it alone (docs/batch-plans.md, "The stored half of a batch by UPDATE").
    /// </summary>
    private const string LockMerchantsAlone = $"SELECT ops.lock_merchant_ingest({BatchMerchants}, alone => true)";

    /// <summary>The batch's merchants' ingest lock (<see cref="LockMerchantsAlone"/>), shared.</summary>
    private const string LockMerchantsShared = $"SELECT ops.lock_merchant_ingest({BatchMerchants}, alone => false)";

    private const string BatchMerchants = $"ARRAY(SELECT DISTINCT t.merchant_id FROM {IngestPlan<object>.TempTable} AS t WHERE t.merchant_id IS NOT NULL)";

    private const string AnalyzeChangedPartitions = "SELECT ops.analyze_changed_partitions(indexed_columns_only => true)";

    /// <summary>
    /// The rows into the temp table by binary COPY, each with its position as row_no, of the fields some row gives only: most rows
    /// leave most fields out (an order names its shop by id or by code, seldom has a voucher or a previous shop), and each NULL
    /// written costs the client a call and the server a field (200,000 orders, server side alone: 150-160 ms with their 28 fields,
    /// 124 ms with the 10 given). The fields are read from the first <see cref="FieldSample"/> rows, held until then; a later row
    /// that gives another field ends that COPY and starts one with the field added (the rows before it keep NULL there, as they
    /// gave). Returns the rows' number and the fields given.
    /// </summary>
    private static async Task<StagedRows> CopyAsync<TRow>(NpgsqlConnection connection, IngestPlan<TRow> plan, IAsyncEnumerable<TRow> rows, CancellationToken cancellationToken)
    {
        var fields = plan.Definition.Fields;
        var copied = new bool[fields.Count];
        var sample = new List<TRow>(FieldSample);
        long rowNo = 0;
        NpgsqlBinaryImporter? importer = null;
        try
        {
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                if (row is null)
                {
                    throw new ArgumentException($"Row {rowNo + sample.Count + 1} is null. Nothing of this batch was saved.", nameof(rows));
                }
                if (importer is null)
                {
                    if (sample.Count < FieldSample)
                    {
                        sample.Add(row);
                        continue;
                    }
                    importer = await BeginCopyAsync(sample);
                    await WriteHeldAsync(importer);
                }
                if (GivesMore(row))
                {
                    await importer.CompleteAsync(cancellationToken);
                    await importer.DisposeAsync();
                    importer = null;
                    importer = await BeginCopyAsync([row]);
                }
                await WriteRowAsync(importer, row);
            }
            if (importer is null && sample.Count > 0)
            {
                importer = await BeginCopyAsync(sample);
                await WriteHeldAsync(importer);
            }
            if (importer is not null)
            {
                await importer.CompleteAsync(cancellationToken);
            }
        }
        finally
        {
            if (importer is not null)
            {
                await importer.DisposeAsync();
            }
        }
        return new StagedRows(rowNo, fields.Where((_, i) => copied[i]).Select(f => f.Name).ToHashSet());

        async Task WriteHeldAsync(NpgsqlBinaryImporter to)
        {
            foreach (var held in sample)
            {
                await WriteRowAsync(to, held);
            }
            sample.Clear();
        }

        bool GivesMore(TRow row)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                if (!copied[i] && fields[i].IsGiven(row))
                {
                    return true;
                }
            }
            return false;
        }

        // The fields copied so far and those the rows give, in the definition's order.
        Task<NpgsqlBinaryImporter> BeginCopyAsync(IEnumerable<TRow> givers)
        {
            foreach (var row in givers)
            {
                for (var i = 0; i < fields.Count; i++)
                {
                    copied[i] |= fields[i].IsGiven(row);
                }
            }
            return connection.BeginBinaryImportAsync(IngestPlan<TRow>.CopyOf(fields.Where((_, i) => copied[i])), cancellationToken);
        }

        async Task WriteRowAsync(NpgsqlBinaryImporter to, TRow row)
        {
            await to.StartRowAsync(cancellationToken);
            await to.WriteAsync(++rowNo, NpgsqlDbType.Bigint, cancellationToken);
            for (var i = 0; i < fields.Count; i++)
            {
                if (copied[i])
                {
                    await fields[i].WriteAsync(to, row, cancellationToken);
                }
            }
        }
    }

    /// <summary>How many rows <see cref="CopyAsync"/> reads before it starts the COPY, to learn which fields the batch gives.</summary>
    private const int FieldSample = 1_000;

    /// <summary>
    /// Writes the rows 1..<paramref name="last"/>: for an entity that can tell new keys from stored ones, the new keys by plain
    /// INSERT, then, when some keys were stored already, the upsert of those; for the others, the one upsert. A unique
    /// violation of the INSERT (a key another transaction stored meanwhile, or one the batch holds twice) falls back to the one
    /// upsert of every row, which resolves the first and reports the second. <paramref name="byUpdate"/>: the stored keys by
    /// <see cref="IngestPlan{TRow}.UpdateStored"/>, which the batch may run only while it holds its merchants' ingest lock alone.
    /// </summary>
    private static async Task<UpsertCounts> UpsertAsync<TRow>(NpgsqlConnection connection, NpgsqlTransaction transaction, IngestPlan<TRow> plan, BatchDays days, long last,
        bool byUpdate, CancellationToken cancellationToken)
    {
        CommandDefinition Command(string sql) => new(sql, days.With(new { last }), transaction, commandTimeout: 0, cancellationToken: cancellationToken);
        if (plan.InsertNew is null || plan.UpsertStored is null)
        {
            return await connection.QuerySingleAsync<UpsertCounts>(Command(plan.Upsert));
        }
        await transaction.SaveAsync(InsertSavepoint, cancellationToken);
        long inserted;
        try
        {
            inserted = await connection.ExecuteAsync(Command(plan.InsertNew));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(InsertSavepoint, cancellationToken);
            return await connection.QuerySingleAsync<UpsertCounts>(Command(plan.Upsert));
        }
        await transaction.ReleaseAsync(InsertSavepoint, cancellationToken);
        if (inserted == last)
        {
            return new UpsertCounts(inserted, 0);
        }
        var stored = await connection.QuerySingleAsync<UpsertCounts>(Command(byUpdate ? plan.UpdateStored! : plan.UpsertStored));
        return new UpsertCounts(inserted + stored.Inserted, stored.Updated);
    }

    /// <summary>Every row (up to MaxErrors) that repeats an earlier row's natural key, or null when the key is not what collided.</summary>
    private async Task<IngestException?> DuplicatesAsync<TRow>(NpgsqlConnection connection, NpgsqlTransaction transaction, IngestPlan<TRow> plan,
        PostgresException? error, CancellationToken cancellationToken)
    {
        var duplicates = (await connection.QueryAsync<DuplicateRow>(new CommandDefinition(
            plan.Duplicates, new { max = options.MaxErrors }, transaction, commandTimeout: 0, cancellationToken: cancellationToken))).ToList();
        if (duplicates.Count == 0)
        {
            return null;
        }
        return new IngestException([.. duplicates.Select(d => IngestError.RepeatedKey(d.RowNo, d.KeyNames, d.FirstRow))], error);
    }

    private sealed record CheckFailure(int CheckNo, long RowNo, string Message);

    private sealed record DuplicateRow(long RowNo, long FirstRow, string KeyNames);

    /// <summary>A staged batch: how many rows, and which fields some row gives.</summary>
    private sealed record StagedRows(long Count, IReadOnlySet<string> Given);
}

using System.Diagnostics;
using System.Text;
using Dapper;
using DbUp;
using DbUp.Builder;
using DbUp.Engine;
using Erp.Db.Migrations.Engine;
using Erp.Db.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Erp.Db.Migrations;

/// <summary>
/// Applies the warehouse's SQL scripts with DbUp, adding what DBAs need: a checksummed journal,
/// drift detection, run-on-change for functions and views, one advisory lock per database, and a
/// transaction per script. The CLI's migrate, status, verify and script commands are thin shells
/// over this type.
/// </summary>
public sealed class MigrationRunner
{
    private readonly NpgsqlDataSource dataSource;
    private readonly ScriptCatalog catalog;
    private readonly MigrationOptions options;
    private readonly ILogger logger;

    /// <summary>Creates a runner over a shared data source.</summary>
    /// <param name="dataSource">Where to migrate; its login needs CREATEROLE the first time (roles are created if absent).</param>
    /// <param name="catalog">The scripts; by default those of <see cref="MigrationOptions.ScriptsDirectory"/>, else the ones embedded in Erp.Db.</param>
    /// <param name="options">Variables and timeouts; by default <see cref="MigrationOptions"/>' defaults.</param>
    /// <param name="logger">Where progress goes; by default nowhere.</param>
    public MigrationRunner(NpgsqlDataSource dataSource, ScriptCatalog? catalog = null, MigrationOptions? options = null, ILogger? logger = null)
    {
        this.dataSource = dataSource;
        this.options = options ?? new MigrationOptions();
        this.catalog = catalog ?? ScriptCatalog.For(this.options);
        this.logger = logger ?? NullLogger.Instance;
    }

    private string Database => new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database ?? "";

    /// <summary>Every script's state: applied, pending, changed, drifted or missing.</summary>
    /// <exception cref="WarehouseAccessException">The login may not read the journal (it is not the migrating login), the server refused the login, or the database does not exist.</exception>
    public Task<MigrationStatusReport> StatusAsync(CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAccessAsync(RequiredRole.Owner, () => ReadStatusAsync(cancellationToken));

    private async Task<MigrationStatusReport> ReadStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var report = (await InspectAsync(connection, cancellationToken, forecastKeptViews: true)).Report;
        return report with { ObjectDrift = await SchemaObjects.DriftAsync(connection, cancellationToken) };
    }

    /// <summary>
    /// Every script's state against the journal read through <paramref name="source"/> by any warehouse login, reader and writer
    /// included (<c>ops.schema_journal_rows()</c>, <see cref="JournalSql.LatestForAnyLogin"/>), compared as <see cref="StatusAsync"/>
    /// compares it, except for what only the migrating login decides or a DBA repairs: the variables are taken as applied, functions
    /// replaced by hand and the views a pending migration would make migrate rebuild are not looked for, nor <see cref="MigrationStatusReport.ObjectDrift"/>.
    /// The caller guards it (<see cref="ErpDatabase.SchemaStatusAsync"/>): a database without the function raises 42883.
    /// </summary>
    internal async Task<MigrationStatusReport> StatusForAnyLoginAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<JournalEntry>(new CommandDefinition(JournalSql.LatestForAnyLogin, cancellationToken: cancellationToken));
        return MigrationPlanner.Compare(connection.Database, catalog, rows.ToDictionary(r => r.Name), variables: options.Variables, variablesAsApplied: true);
    }

    /// <param name="connection">Where to read the journal.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <param name="forecastKeptViews">Add to the scripts that will run the plain views migrate will keep because of them (status, dry run).</param>
    private async Task<(MigrationStatusReport Report, bool ViewsExist)> InspectAsync(NpgsqlConnection connection, CancellationToken cancellationToken, bool forecastKeptViews = false)
    {
        var journal = new Dictionary<string, JournalEntry>();
        var viewsExist = false;
        IReadOnlyDictionary<string, string>? forecast = null;
        IReadOnlyDictionary<string, string?>? definitions = null;
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(JournalSql.Exists, cancellationToken: cancellationToken)))
        {
            var rows = await connection.QueryAsync<JournalEntry>(new CommandDefinition(JournalSql.Latest, cancellationToken: cancellationToken));
            journal = rows.ToDictionary(r => r.Name);
            definitions = await CurrentDefinitionsAsync(connection, [.. journal.Values.Where(j => j.DefinitionMd5 is not null).Select(j => j.Name)], cancellationToken);
            var viewNames = catalog.Scripts.Where(s => s.Kind == ScriptKind.View).Select(ViewOrder.ViewName).ToArray();
            viewsExist = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(JournalSql.ViewsExist, new { names = viewNames }, cancellationToken: cancellationToken));
            if (viewsExist)
            {
                var pending = catalog.Scripts.Where(s => s.Kind == ScriptKind.Migration && !journal.ContainsKey(s.Name));
                forecast = await DependencyForecast.ForecastAsync(connection, pending, options.Variables, cancellationToken);
            }
        }
        var report = MigrationPlanner.Compare(Database, catalog, journal, forecast, options.Variables, definitions);
        if (viewsExist && forecastKeptViews)
        {
            report = await WithKeptViewsAsync(connection, report, journal, cancellationToken);
        }
        return (report, viewsExist);
    }

    /// <summary>The report with, on each script that will run, the plain views migrate will keep because of it (docs/view-rebuilds.md, "Plain views").</summary>
    private async Task<MigrationStatusReport> WithKeptViewsAsync(NpgsqlConnection connection, MigrationStatusReport report,
        Dictionary<string, JournalEntry> journal, CancellationToken cancellationToken)
    {
        var viewScripts = catalog.Scripts.Where(s => s.Kind == ScriptKind.View).ToList();
        var rebuilt = viewScripts.Where(v => report.ToRun.Any(s => s.Name == v.Name)).Select(v => (v.Name, ViewOrder.ViewName(v)));
        var pending = catalog.Scripts.Where(s => s.Kind == ScriptKind.Migration && !journal.ContainsKey(s.Name));
        var kept = await DependencyForecast.KeptViewsAsync(connection, pending, options.Variables, rebuilt, KeptViews.ScriptMade(viewScripts), cancellationToken);
        return kept.Count == 0 ? report : report with
        {
            Scripts = [.. report.Scripts.Select(s => s.WillRun && kept.TryGetValue(s.Name, out var views)
                ? s with { Reason = $"{s.Reason}; keeps the plain views {string.Join(", ", views)} (drops and re-creates them as they are)" }
                : s)],
        };
    }

    /// <summary>The definitions (MD5) the database holds now of the functions of these function scripts, read with a fixed search path.</summary>
    private static async Task<IReadOnlyDictionary<string, string?>> CurrentDefinitionsAsync(NpgsqlConnection connection, string[] names, CancellationToken cancellationToken)
    {
        if (names.Length == 0)
        {
            return new Dictionary<string, string?>();
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SET LOCAL search_path = pg_catalog", transaction: transaction, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<(string Name, string? Md5)>(new CommandDefinition(JournalSql.CurrentDefinitions, new { names }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rows.ToDictionary(r => r.Name, r => r.Md5);
    }

    /// <summary>
    /// Applies pending migrations, then changed functions, then changed views (with the views that
    /// read them) in dependency order. On a database without views each migration and function
    /// runs in its own transaction and the views in one. Once views exist, the whole run is one
    /// transaction that rebuilds only the views depending on what changed: a migration that fails
    /// because a view reads what it drops or retypes is rolled back to a savepoint, that view and
    /// its readers are dropped, and it runs again; views whose files changed are built beside the
    /// old ones and swapped in at the end, so readers wait only for the swap (docs/view-rebuilds.md).
    /// Plain views no view script makes (the reader views migrations made, a DBA's own views) that
    /// a migration or a rebuild would take are saved, dropped and re-created as they were (options,
    /// owner, comments, privileges); one that cannot be (it reads a dropped column) fails the run.
    /// </summary>
    /// <param name="dryRun">List what would run without running it.</param>
    /// <param name="cancellationToken">
    /// Stops waiting for the lock, or stops between scripts; a running script's statement is
    /// cancelled on the server (<c>pg_cancel_backend</c>) and the script rolled back, then
    /// <see cref="OperationCanceledException"/> is thrown.
    /// </param>
    /// <exception cref="MigrationDriftException">An applied migration was changed or removed; nothing was run.</exception>
    /// <exception cref="MigrationDowngradeException">Repeatable scripts would be rolled back to an older text and <see cref="MigrationOptions.AllowDowngrade"/> is off; nothing was run.</exception>
    /// <exception cref="MigrationScriptException">
    /// A script failed; it was rolled back and not journaled, and later scripts did not run. A
    /// no-transaction script keeps the statements before the failing one; they are journaled and
    /// the next run resumes at the failing statement.
    /// </exception>
    /// <exception cref="WarehouseAccessException">
    /// The login may not migrate (it is not a member of erp_owner, nor a superuser), the server refused the login, or the database
    /// does not exist; nothing was run. A script refused a privilege is a <see cref="MigrationScriptException"/> instead.
    /// </exception>
    public Task<MigrationResult> MigrateAsync(bool dryRun = false, CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAccessAsync(RequiredRole.Owner, () => RunMigrateAsync(dryRun, cancellationToken));

    private async Task<MigrationResult> RunMigrateAsync(bool dryRun, CancellationToken cancellationToken)
    {
        try
        {
            return await ApplyAsync(dryRun, cancellationToken);
        }
        catch (MigrationScriptException e) when (cancellationToken.IsCancellationRequested && e.SqlState == "57014")
        {
            logger.LogWarning("Migrate was cancelled while {Script} ran; it was rolled back", e.ScriptName);
            throw new OperationCanceledException(
                $"Cancelled while {e.ScriptName} ran; it was rolled back and not journaled. Nothing in it needs fixing: run migrate again to apply it.", e, cancellationToken);
        }
        catch (MigrationScriptException e)
        {
            // The one entry for a script that failed for good (DbUp's own are Debug, MigrationLog); the exception keeps the detail.
            var error = e.DatabaseMessage.ReplaceLineEndings(" ");
            if (e.SqlState is null)
            {
                logger.LogError("Migration script {Script} failed: {Error}", e.ScriptName, error);
            }
            else
            {
                logger.LogError("Migration script {Script} failed with SQLSTATE {SqlState}: {Error}", e.ScriptName, e.SqlState, error);
            }
            throw;
        }
    }

    private async Task<MigrationResult> ApplyAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // Every script runs on the session that holds the lock, so the lock lives as long as the work.
        await using var session = await MigrationLock.AcquireAsync(dataSource, Database, logger, cancellationToken);
        var (report, viewsExist) = await InspectAsync(session.Connection, cancellationToken, forecastKeptViews: dryRun);
        Refuse(report);
        var toRun = report.ToRun;
        if (!dryRun)
        {
            await session.Connection.ExecuteAsync(new CommandDefinition(JournalSql.RegrantToCopy, cancellationToken: cancellationToken));
            // What was dropped or changed by hand since the last migrate stays recorded as migrate left it (doctor, ERPDB020).
            var handEdits = await SchemaObjects.DriftAsync(session.Connection, cancellationToken);
            // DbUp cannot cancel the statement it runs: without this, a cancelled migrate would wait for
            // the running script to end, and a process killed meanwhile leaves it running on the server.
            var pid = session.Connection.ProcessID;
            await using var cancelRunning = cancellationToken.Register(() => _ = CancelBackendAsync(pid));
            var byName = catalog.Scripts.ToDictionary(s => s.Name);
            var scripts = toRun.Select(s => byName[s.Name]).ToList();
            var resumeAfter = toRun.Where(s => s.StatementsApplied is not null).ToDictionary(s => s.Name, s => s.StatementsApplied!.Value);
            if (viewsExist && scripts.Count > 0 && scripts.All(s => s.RunsInTransaction))
            {
                // One transaction; only the views that depend on what changed are rebuilt, beside the old ones where they can be.
                toRun = await new ViewRebuildRun(session.Connection, catalog,
                    (pieces, journaled) => Task.Run(() => Run(session.Connection, pieces, BatchMode.InOpenTransaction, journaled, resumeAfter), cancellationToken),
                    logger).RunAsync(toRun, cancellationToken);
            }
            else
            {
                foreach (var batch in Batches(scripts))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // A no-transaction script journals its progress itself, statement by statement (ErpScriptExecutor).
                    await Task.Run(() => Run(session.Connection, [.. batch.Scripts.Select(s => new SqlScript(s.Name, s.Contents))], batch.Mode, byName, resumeAfter), cancellationToken);
                }
            }
            logger.LogInformation("Applied {Count} scripts to {Database}", toRun.Count, Database);
            if (await session.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(JournalSql.Exists, cancellationToken: cancellationToken)))
            {
                await session.Connection.ExecuteAsync(new CommandDefinition(JournalSql.EnsureColumns, cancellationToken: cancellationToken));
                await session.Connection.ExecuteAsync(new CommandDefinition(JournalSql.RecordDefinitions, cancellationToken: cancellationToken));
                await SchemaObjects.RecordAsync(session.Connection, handEdits, cancellationToken);
                foreach (var edit in await SchemaObjects.DriftAsync(session.Connection, cancellationToken))
                {
                    logger.LogWarning("The {Kind} {Name} on {Table} was {Edit} by hand since the last migrate and is not repaired by it: erpdb doctor (ERPDB020) gives the fix",
                        edit.Kind, edit.Name, edit.TableName, edit.Recorded is null ? "granted" : edit.Current is null ? "dropped" : "changed");
                }
            }
            toRun = await JournaledAsync(session.Connection, toRun, cancellationToken);
        }
        IReadOnlyList<string> notices = !dryRun && options.Schedule
            ? await new CronScheduler(dataSource, logger: logger).EnsureAsync(cancellationToken)
            : [];
        if (!dryRun)
        {
            notices = [.. notices, .. await LoginNotices.ReadAsync(session.Connection, cancellationToken)];
        }
        return new MigrationResult(Database, dryRun, toRun, Stopwatch.GetElapsedTime(started), notices);
    }

    /// <summary>Cancels the statement the migrate session runs, from another connection; best effort (the session may be idle or gone).</summary>
    private async Task CancelBackendAsync(int pid)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await connection.ExecuteAsync("SELECT pg_catalog.pg_cancel_backend(@pid)", new { pid });
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning("Could not cancel the running migrate statement (backend {Pid}): {Error}", pid, e.Message);
        }
    }

    /// <summary>The scripts that ran as the journal now holds them (applied, when, how long), each with why it ran; read under the lock.</summary>
    private async Task<IReadOnlyList<ScriptStatus>> JournaledAsync(NpgsqlConnection session, IReadOnlyList<ScriptStatus> ran, CancellationToken cancellationToken)
    {
        var now = (await InspectAsync(session, cancellationToken)).Report.Scripts.ToDictionary(s => s.Name);
        return [.. ran.Select(s => now.TryGetValue(s.Name, out var journaled) ? journaled with { Reason = s.Reason } : s)];
    }

    private void Refuse(MigrationStatusReport report)
    {
        if (report.Drift.Count > 0)
        {
            throw new MigrationDriftException(report.Drift);
        }
        var downgrades = report.ToRun.Where(s => s.IsDowngrade).ToList();
        if (downgrades.Count > 0 && !options.AllowDowngrade)
        {
            throw new MigrationDowngradeException(downgrades);
        }
    }

    /// <summary>
    /// The SQL migrate would run now, for review: exactly what migrate runs, in its order, each
    /// script after the session reset and role switch migrate runs before it, followed by its
    /// journal entry. When migrations are pending and views exist it is more conservative than
    /// migrate (which rebuilds only the views that depend on what changes, docs/view-rebuilds.md):
    /// it drops every mart view first and re-creates them all, so psql needs no retry; privileges
    /// granted by hand on mart relations are saved before and granted again at the end, as migrate does.
    /// Plain views no view script makes that the scripts would take (as <see cref="StatusAsync"/> forecasts them) are dropped
    /// at its start and re-created as they were at its end, as migrate keeps them (docs/view-rebuilds.md, "Plain views").
    /// Runnable with <c>psql -1 -f</c>; scripts marked no-transaction are flagged and must run on
    /// their own. pg_cron jobs are not part of it (migrate registers them after the scripts).
    /// </summary>
    /// <exception cref="MigrationDriftException">An applied migration was changed or removed: migrate would refuse.</exception>
    /// <exception cref="MigrationDowngradeException">Migrate would refuse to roll back repeatable scripts.</exception>
    /// <exception cref="MigrationException">A plain view the scripts would take has what cannot be re-created (triggers, rules, column defaults), as migrate would refuse.</exception>
    /// <exception cref="WarehouseAccessException">The login may not read the journal (it is not the migrating login), the server refused the login, or the database does not exist.</exception>
    public Task<string> ScriptAsync(CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAccessAsync(RequiredRole.Owner, () => WriteScriptAsync(cancellationToken));

    private async Task<string> WriteScriptAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (report, viewsExist) = await InspectAsync(connection, cancellationToken);
        Refuse(report);
        var byName = catalog.Scripts.ToDictionary(s => s.Name);
        var toRun = report.ToRun;
        // psql cannot catch a dependency error and retry as migrate does, so the review script
        // rebuilds conservatively: pending migrations meeting views drop every view first and re-create them all.
        var rebuild = viewsExist && toRun.Any(s => s.Kind == ScriptKind.Migration) && toRun.All(s => byName[s.Name].RunsInTransaction);
        if (rebuild)
        {
            var planned = toRun.Where(s => s.Kind == ScriptKind.View).ToDictionary(s => s.Name);
            toRun = [.. toRun.Where(s => s.Kind != ScriptKind.View), .. report.Scripts.Where(s => s.Kind == ScriptKind.View && s.State != ScriptState.Missing)
                .Select(s => planned.GetValueOrDefault(s.Name) ?? s with { State = ScriptState.Changed, Reason = "re-created around pending migrations (this review script rebuilds every view; migrate rebuilds only the views that depend on what changes)" })];
        }
        // The plain views migrate would keep (docs/view-rebuilds.md, "Plain views"), found as status forecasts them: saved now, dropped
        // before the scripts and re-created after them by the same queries as migrate's.
        var kept = viewsExist && toRun.All(s => byName[s.Name].RunsInTransaction)
            ? await KeptViews.ScriptAsync(connection, await KeptRootsAsync(connection, toRun, cancellationToken), KeptViews.ScriptMade(ViewScripts), cancellationToken)
            : new KeptViews.ScriptedViews([], "", "");
        var sql = new StringBuilder()
            .AppendLine($"-- erpdb script: {toRun.Count} scripts that migrate would run on database {Database}, in one transaction with psql -1.")
            .AppendLine("-- Each script runs as erp_owner once that role exists (as the login when marked erpdb:run-as-login), as migrate does.");
        if (kept.Names.Count > 0)
        {
            sql.AppendLine()
                .AppendLine($"-- ==== The plain views migrate keeps, dropped here (as the login) and re-created as they are after the scripts: {string.Join(", ", kept.Names)}.")
                .AppendLine("SELECT pg_catalog.set_config('role', 'none', true);")
                .Append(kept.Drop);
        }
        if (rebuild)
        {
            var drop = RunnerScripts.DropMartViews();
            sql.AppendLine()
                .AppendLine($"-- ==== {drop.Name}: migrations are pending and materialized views exist, so every mart view is dropped first and re-created below.")
                .AppendLine(JournalSql.RunAsOwner + ";")
                .AppendLine("-- The privileges granted by hand on mart relations, granted again at the end (docs/view-rebuilds.md).")
                .AppendLine(ViewRebuildSql.SaveGrantsInScript)
                .AppendLine(drop.Contents.TrimEnd());
        }
        foreach (var status in toRun)
        {
            var script = byName[status.Name];
            sql.AppendLine()
                .AppendLine($"-- ==== {script.Name} ({status.State.ToString().ToLowerInvariant()}: {status.Reason}) sha256 {script.Sha256}");
            if (!script.RunsInTransaction)
            {
                sql.AppendLine("-- WARNING: this script must run outside a transaction (erpdb:no-transaction).");
            }
            // A no-transaction script an earlier run left partly applied resumes after those statements, as in migrate.
            var text = status.StatementsApplied is int done
                ? string.Join("\n;\n", ScriptStatements.Split(script, options.Variables).Skip(done).Select(s => s.Text))
                : ScriptStatements.Preprocess(script.Contents, options.Variables);
            sql.AppendLine(JournalSql.BeforeScript(script.RunsAsLogin) + ";")
                .AppendLine(text.TrimEnd())
                .AppendLine(";")
                .AppendLine(JournalSql.EnsureColumns + ";")
                .AppendLine(JournalSql.InsertLiteral(script, options.Variables));
        }
        if (kept.Names.Count > 0)
        {
            sql.AppendLine()
                .AppendLine("-- ==== The plain views dropped above, re-created as they were (each as its owner, with its comments and privileges) unless a script made it again.")
                .Append(kept.Recreate);
        }
        if (rebuild)
        {
            sql.AppendLine()
                .AppendLine("-- ==== The privileges granted by hand on mart relations that the drop above took, granted again.")
                .AppendLine(JournalSql.RunAsOwner + ";")
                .AppendLine(ViewRebuildSql.RestoreGrantsInScript);
        }
        if (toRun.Count > 0)
        {
            sql.AppendLine()
                .AppendLine("-- ==== The definitions of the functions the function scripts made, for status to notice a later change by hand.")
                .AppendLine(JournalSql.RunAsOwner + ";")
                .AppendLine(JournalSql.RecordDefinitions + ";");
        }
        return sql.ToString();
    }

    private List<MigrationScript> ViewScripts => [.. catalog.Scripts.Where(s => s.Kind == ScriptKind.View)];

    /// <summary>
    /// The plain views the review script keeps because of <paramref name="toRun"/>: as <see cref="WithKeptViewsAsync"/> forecasts
    /// them, those that read what a pending migration drops or retypes, or a view whose script runs (drops and re-creates it).
    /// </summary>
    private async Task<IReadOnlyCollection<string>> KeptRootsAsync(NpgsqlConnection connection, IReadOnlyList<ScriptStatus> toRun, CancellationToken cancellationToken)
    {
        var running = toRun.Select(s => s.Name).ToHashSet();
        var rebuilt = ViewScripts.Where(v => running.Contains(v.Name)).Select(v => (v.Name, ViewOrder.ViewName(v)));
        var pending = catalog.Scripts.Where(s => s.Kind == ScriptKind.Migration && running.Contains(s.Name));
        var kept = await DependencyForecast.KeptViewsAsync(connection, pending, options.Variables, rebuilt, KeptViews.ScriptMade(ViewScripts), cancellationToken);
        return [.. kept.Values.SelectMany(v => v).Distinct()];
    }

    private enum BatchMode
    {
        PerScript,
        NoTransaction,
        Single,

        /// <summary>Inside a transaction the caller opened (<see cref="ViewRebuildRun"/>).</summary>
        InOpenTransaction,
    }

    private sealed record Batch(BatchMode Mode, List<MigrationScript> Scripts);

    /// <summary>Consecutive transactional scripts share a batch; views share one transaction.</summary>
    private static IEnumerable<Batch> Batches(IEnumerable<MigrationScript> scripts)
    {
        Batch? current = null;
        foreach (var script in scripts)
        {
            var mode = !script.RunsInTransaction ? BatchMode.NoTransaction
                : script.Kind == ScriptKind.View ? BatchMode.Single
                : BatchMode.PerScript;
            if (current is null || current.Mode != mode || mode == BatchMode.NoTransaction)
            {
                if (current is not null)
                {
                    yield return current;
                }
                current = new Batch(mode, []);
            }
            current.Scripts.Add(script);
        }
        if (current is not null)
        {
            yield return current;
        }
    }

    /// <summary>Runs scripts with DbUp on the session; journals those found in <paramref name="journaled"/>.</summary>
    private void Run(NpgsqlConnection session, IReadOnlyList<SqlScript> scripts, BatchMode mode,
        IReadOnlyDictionary<string, MigrationScript> journaled, IReadOnlyDictionary<string, int> resumeAfter)
    {
        var timer = new ScriptTimer();
        var journal = new ErpJournal(journaled, options.Variables, timer);
        var builder = DeployChanges.To
            .PostgresqlDatabase(new ErpConnectionManager(session))
            .WithScripts(scripts)
            .WithScriptSorter(s => s)
            .JournalTo(journal)
            .WithVariablesDisabled()
            .WithExecutionTimeout(options.CommandTimeout)
            .LogTo(new MigrationLog(logger));
        builder = mode switch
        {
            BatchMode.NoTransaction or BatchMode.InOpenTransaction => builder.WithoutTransaction(),
            BatchMode.Single => builder.WithTransaction(),
            _ => builder.WithTransactionPerScript(),
        };
        builder.Configure(c => c.ScriptExecutor = new ErpScriptExecutor(() => c.ConnectionManager, () => c.Log, () => c.Journal, options.Variables, resumeAfter, mode == BatchMode.NoTransaction, timer));

        var result = builder.Build().PerformUpgrade();
        if (!result.Successful)
        {
            throw result.Error as MigrationScriptException
                ?? new MigrationScriptException(result.ErrorScript?.Name ?? "(unknown script)", null, null, result.Error.Message, result.Error);
        }
    }
}

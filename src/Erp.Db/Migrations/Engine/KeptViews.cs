using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// Keeps plain views that no view script makes (the reader views migrations made, a DBA's own
/// views) across what a migrate run drops (docs/view-rebuilds.md, "Plain views"): each is saved
/// as it is (definition, options, owner, comments, privileges), dropped, and re-created in
/// dependency order as soon as what it reads exists again, in the run's transaction. A view that
/// cannot be re-created (it reads a column a migration dropped) fails the run, naming the view,
/// the column and the script.
/// </summary>
/// <param name="session">The migrate session, inside the run's transaction.</param>
/// <param name="scriptMade">The views the view scripts make (their materialized views and reader views): those scripts re-create them.</param>
/// <param name="logger">Where progress goes.</param>
internal sealed partial class KeptViews(NpgsqlConnection session, IReadOnlyCollection<string> scriptMade, ILogger logger)
{
    private readonly string[] scriptMade = [.. scriptMade];
    private readonly List<KeptView> pending = [];
    private readonly Dictionary<string, List<string>> recreatedFor = [];

    /// <summary>The views made by view scripts: each script's view and the plain views it creates.</summary>
    public static IReadOnlyCollection<string> ScriptMade(IEnumerable<MigrationScript> viewScripts) =>
        viewScripts.SelectMany(s => CreateView().Matches(s.Contents).Select(m => m.Groups["name"].Value.ToLowerInvariant()).Append(ViewOrder.ViewName(s)))
            .ToHashSet();

    /// <summary>Script name to the views re-created because it (or the rebuild of its view) made migrate drop them.</summary>
    public IReadOnlyDictionary<string, List<string>> RecreatedFor => recreatedFor;

    /// <summary>The plain views among <paramref name="names"/> that this keeps (no view script makes them).</summary>
    public Task<List<string>> PlainAmongAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
        AsRoleAsync(null, async () =>
            (List<string>)[.. await session.QueryAsync<string>(new CommandDefinition(KeptViewSql.PlainViews, new { names = names.ToArray(), scriptMade }, cancellationToken: cancellationToken))],
            cancellationToken);

    /// <summary>
    /// Saves the plain views among <paramref name="roots"/> and every view that reads them, directly or
    /// not, that no view script makes; <paramref name="cause"/> is the script that makes migrate drop them.
    /// Returns their names, each after the views it reads.
    /// </summary>
    public Task<IReadOnlyList<string>> SaveAsync(IReadOnlyCollection<string> roots, string cause, CancellationToken cancellationToken) =>
        AsRoleAsync(null, () => SaveAsLoginAsync(roots, cause, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<string>> SaveAsLoginAsync(IReadOnlyCollection<string> roots, string cause, CancellationToken cancellationToken)
    {
        if (roots.Count == 0)
        {
            return [];
        }
        // Under a savepoint rolled back at once: the definitions name every relation with its schema, and the setting does not stay.
        await ExecuteAsync("SAVEPOINT erpdb_keep", cancellationToken);
        await ExecuteAsync("SELECT pg_catalog.set_config('search_path', 'pg_catalog', true)", cancellationToken);
        var rows = (await session.QueryAsync<SavedRow>(new CommandDefinition(KeptViewSql.Save, new { names = roots.ToArray(), scriptMade }, cancellationToken: cancellationToken))).ToList();
        await ExecuteAsync("ROLLBACK TO SAVEPOINT erpdb_keep", cancellationToken);
        await ExecuteAsync("RELEASE SAVEPOINT erpdb_keep", cancellationToken);

        var saved = new List<KeptView>();
        foreach (var row in Ordered(rows.Where(r => pending.All(p => p.Name != r.Name)).ToList()))
        {
            if (row.Unkept is not null)
            {
                throw new MigrationException($"{cause} makes migrate drop view {row.Name} (it reads what {cause} changes, or a view migrate rebuilds), "
                    + $"but migrate cannot re-create its {row.Unkept}. Nothing was applied. Drop {row.Name} before migrating and re-create it after, "
                    + "or have the migration do so (docs/view-rebuilds.md, \"Plain views\").");
            }
            saved.Add(new KeptView(row, cause));
        }
        pending.AddRange(saved);
        return [.. saved.Select(v => v.Name)];
    }

    /// <summary>
    /// For <c>erpdb script</c> (one psql transaction, no client between): the plain views among <paramref name="roots"/> and the
    /// views that read them that no view script makes, saved now as migrate saves them (<see cref="KeptViewSql.Save"/>), as the
    /// SQL that drops them (readers first, no CASCADE) and the SQL that re-creates each as it was, as its owner, with its comments
    /// and privileges set back by <see cref="KeptViewSql.RestoreAcl"/> run in the script, unless a script made it again.
    /// </summary>
    /// <exception cref="MigrationException">A view has what migrate cannot re-create (triggers, rules, column defaults).</exception>
    public static async Task<ScriptedViews> ScriptAsync(NpgsqlConnection connection, IReadOnlyCollection<string> roots, IReadOnlyCollection<string> scriptMade,
        CancellationToken cancellationToken)
    {
        if (roots.Count == 0)
        {
            return new ScriptedViews([], "", "");
        }
        List<SavedRow> rows;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition("SET LOCAL search_path = pg_catalog", transaction: transaction, cancellationToken: cancellationToken));
            rows = [.. await connection.QueryAsync<SavedRow>(new CommandDefinition(KeptViewSql.Save, new { names = roots.ToArray(), scriptMade = scriptMade.ToArray() },
                transaction, cancellationToken: cancellationToken))];
            await transaction.RollbackAsync(cancellationToken);
        }
        var ordered = Ordered(rows);
        if (ordered.FirstOrDefault(r => r.Unkept is not null) is { } unkept)
        {
            throw new MigrationException($"The pending scripts make migrate drop view {unkept.Name} (it reads what a migration changes, or a view that is rebuilt), "
                + $"but neither migrate nor this script can re-create its {unkept.Unkept}. Drop {unkept.Name} before migrating and re-create it after "
                + "(docs/view-rebuilds.md, \"Plain views\").");
        }
        var drop = new StringBuilder();
        foreach (var row in Enumerable.Reverse(ordered))
        {
            drop.AppendLine(await connection.ExecuteScalarAsync<string>(new CommandDefinition(KeptViewSql.Drop, new { name = row.Name }, cancellationToken: cancellationToken)) + ";");
        }
        var create = new StringBuilder();
        foreach (var row in ordered)
        {
            var restoreAcl = KeptViewSql.RestoreAcl.Replace("@acl", Literal(row.Acl), StringComparison.Ordinal).Replace("@name", Literal(row.Name), StringComparison.Ordinal);
            create.AppendLine($"""
                DO {ScriptTag}
                DECLARE
                    acl record;
                BEGIN
                    -- As the login, who may act as every owner (a script leaves the transaction acting as erp_owner). A view the
                    -- migration made again itself is left as it made it, as migrate does.
                    PERFORM pg_catalog.set_config('role', 'none', true);
                    IF pg_catalog.to_regclass({Literal(row.Name)}) IS NULL THEN
                        PERFORM pg_catalog.set_config('role', {Literal(row.Owner)}, true);
                        EXECUTE {Literal(row.Create)};
                {string.Concat(row.Details.Select(d => $"        EXECUTE {Literal(d)};\n"))}        FOR acl IN
                {restoreAcl}
                        LOOP
                            IF acl.grantas IS NOT NULL THEN
                                PERFORM pg_catalog.set_config('role', acl.grantas, true);
                            END IF;
                            EXECUTE acl.statement;
                            PERFORM pg_catalog.set_config('role', {Literal(row.Owner)}, true);
                        END LOOP;
                        PERFORM pg_catalog.set_config('role', 'none', true);
                    END IF;
                END
                {ScriptTag};
                """);
        }
        var text = drop.ToString() + create;
        if (text.Split(ScriptTag).Length != 1 + 2 * ordered.Count)
        {
            throw new MigrationException($"A kept view's definition contains {ScriptTag}, which quotes the blocks of the script that re-creates it: drop and re-create those views around the migration yourself.");
        }
        return new ScriptedViews([.. ordered.Select(r => r.Name)], drop.ToString(), create.ToString());
    }

    /// <summary>The dollar quote of the blocks <see cref="ScriptAsync"/> writes.</summary>
    private const string ScriptTag = "$erpdb_keep$";

    private static string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>Drops the saved views given (each after the views it reads), the readers first; no CASCADE.</summary>
    public async Task DropAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        await AsRoleAsync(null, async () =>
        {
            foreach (var name in names.Reverse())
            {
                var view = pending.Single(p => p.Name == name);
                var drop = await session.ExecuteScalarAsync<string>(new CommandDefinition(KeptViewSql.Drop, new { name }, cancellationToken: cancellationToken));
                try
                {
                    await ExecuteAsync(drop!, cancellationToken);
                }
                catch (PostgresException e)
                {
                    throw new MigrationException($"{view.Cause} makes migrate drop view {name} to re-create it after, but PostgreSQL refused the drop: "
                        + $"{e.MessageText} (SQLSTATE {e.SqlState}). Nothing was applied. Drop or change what stops it (an object that is not a view and reads {name}, "
                        + $"or a login that may not act as its owner), or drop and re-create {name} around the migration yourself (docs/view-rebuilds.md, \"Plain views\").", e);
                }
            }
        }, cancellationToken);
        logger.LogInformation("Keeping views {Views}: dropped, to be re-created as they were", string.Join(", ", names));
    }

    /// <summary>
    /// Re-creates the saved views whose inputs exist again, readers after what they read; with
    /// <paramref name="all"/>, every one left (the end of the run), failing on the first that cannot be.
    /// A view that exists again (the migration re-created it) is left as the migration made it.
    /// </summary>
    public async Task RecreateAsync(bool all, CancellationToken cancellationToken)
    {
        if (pending.Count > 0)
        {
            await AsRoleAsync(null, () => RecreateAsLoginAsync(all, cancellationToken), cancellationToken);
        }
    }

    private async Task RecreateAsLoginAsync(bool all, CancellationToken cancellationToken)
    {
        bool progress;
        do
        {
            progress = false;
            foreach (var view in pending.ToList())
            {
                if (await ExistsAsync([view.Name], cancellationToken))
                {
                    logger.LogInformation("View {View} exists again ({Cause} re-created it): left as it is", view.Name, view.Cause);
                    pending.Remove(view);
                    continue;
                }
                if (await ExistsAsync(view.Reads, cancellationToken))
                {
                    await CreateAsync(view, cancellationToken);
                    pending.Remove(view);
                    progress = true;
                }
            }
        }
        while (progress);
        if (all && pending.Count > 0)
        {
            await CreateAsync(pending[0], cancellationToken); // what it reads is gone: this fails with PostgreSQL's words, and names the view
        }
    }

    private async Task CreateAsync(KeptView view, CancellationToken cancellationToken)
    {
        // Under a savepoint: when the view cannot be re-created, the catalog still answers which column it missed.
        await ExecuteAsync("SAVEPOINT erpdb_keep", cancellationToken);
        try
        {
            await AsRoleAsync(view.Owner, async () =>
            {
                await ExecuteAsync(view.Create, cancellationToken);
                foreach (var detail in view.Details)
                {
                    await ExecuteAsync(detail, cancellationToken);
                }
                var acl = await session.QueryAsync<(int Step, string Statement, string? GrantAs)>(new CommandDefinition(KeptViewSql.RestoreAcl,
                    new { name = view.Name, acl = view.Acl }, cancellationToken: cancellationToken));
                foreach (var (_, statement, grantAs) in acl.ToList())
                {
                    if (grantAs is null)
                    {
                        await ExecuteAsync(statement, cancellationToken);
                    }
                    else
                    {
                        await AsRoleAsync(grantAs, () => ExecuteAsync(statement, cancellationToken), cancellationToken);
                    }
                }
            }, cancellationToken);
        }
        catch (PostgresException e)
        {
            await ExecuteAsync("ROLLBACK TO SAVEPOINT erpdb_keep", cancellationToken);
            throw await FailureAsync(view, e, cancellationToken);
        }
        await ExecuteAsync("RELEASE SAVEPOINT erpdb_keep", cancellationToken);
        logger.LogInformation("Re-created view {View} as it was (dropped for {Cause})", view.Name, view.Cause);
        if (!recreatedFor.TryGetValue(view.Cause, out var names))
        {
            recreatedFor[view.Cause] = names = [];
        }
        names.Add(view.Name);
    }

    private async Task<MigrationScriptException> FailureAsync(KeptView view, PostgresException e, CancellationToken cancellationToken)
    {
        var missing = (await session.QueryAsync<string>(new CommandDefinition(KeptViewSql.MissingColumns, new { columns = view.Columns }, cancellationToken: cancellationToken))).ToList();
        var what = missing.Count > 0
            ? $"view {view.Name} reads {string.Join(", ", missing)}, which {view.Cause} drops; migrate keeps plain views across a migration "
                + $"(drops them, runs it, re-creates them as they were) but cannot re-create {view.Name} without {(missing.Count == 1 ? "that column" : "those columns")}"
            : $"view {view.Name}, which migrate dropped to run {view.Cause}, cannot be re-created as it was";
        var todo = missing.Count > 0
            ? $"Drop {view.Name}, or change it so it no longer reads {string.Join(", ", missing)} (CREATE OR REPLACE VIEW), before migrating; "
                + $"or make the migration drop {view.Name} and create it again without {(missing.Count == 1 ? "the column" : "the columns")}"
            : $"Drop or change {view.Name} before migrating, or make the migration drop and re-create it";
        return new MigrationScriptException(view.Cause, null, e.SqlState,
            $"{what} ({e.MessageText}). Nothing of this run was applied: the journal and every column are as they were. {todo} (docs/view-rebuilds.md, \"Plain views\")", e);
    }

    /// <summary>
    /// Runs <paramref name="action"/> as <paramref name="role"/> (null: the login, who may act as every owner; a
    /// script leaves the transaction acting as erp_owner), then returns to the role the transaction had.
    /// </summary>
    private async Task<T> AsRoleAsync<T>(string? role, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        var before = await session.ExecuteScalarAsync<string>(new CommandDefinition("SELECT pg_catalog.current_setting('role')", cancellationToken: cancellationToken));
        await session.ExecuteAsync(new CommandDefinition("SELECT pg_catalog.set_config('role', @role, true)", new { role = role ?? "none" }, cancellationToken: cancellationToken));
        var result = await action();
        await session.ExecuteAsync(new CommandDefinition("SELECT pg_catalog.set_config('role', @role, true)", new { role = before }, cancellationToken: cancellationToken));
        return result;
    }

    private async Task AsRoleAsync(string? role, Func<Task> action, CancellationToken cancellationToken) =>
        await AsRoleAsync(role, async () =>
        {
            await action();
            return true;
        }, cancellationToken);

    private async Task<bool> ExistsAsync(string[] names, CancellationToken cancellationToken) =>
        await session.ExecuteScalarAsync<bool>(new CommandDefinition(KeptViewSql.AllExist, new { names }, cancellationToken: cancellationToken));

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken) =>
        await session.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));

    /// <summary>Each view after the views of the list that it reads.</summary>
    private static List<SavedRow> Ordered(List<SavedRow> rows)
    {
        var result = new List<SavedRow>();
        var left = rows.ToList();
        while (left.Count > 0)
        {
            var next = left.FirstOrDefault(r => !r.Reads.Any(read => left.Any(l => l.Name == read))) ?? left[0];
            result.Add(next);
            left.Remove(next);
        }
        return result;
    }

    /// <summary>A row of <see cref="KeptViewSql.Save"/> (properties, not a record: Dapper reads a text[] column as <see cref="Array"/>, which no constructor takes).</summary>
    private sealed class SavedRow
    {
        public string Name { get; set; } = "";

        public string Create { get; set; } = "";

        public string Owner { get; set; } = "";

        public string[] Details { get; set; } = [];

        public string Acl { get; set; } = "";

        public string[] Reads { get; set; } = [];

        public string[] Columns { get; set; } = [];

        public string? Unkept { get; set; }
    }

    /// <summary>A view dropped and waiting to be re-created; <paramref name="Cause"/> is the script that made migrate drop it.</summary>
    private sealed record KeptView(string Name, string Create, string Owner, string[] Details, string Acl, string[] Reads, string[] Columns, string Cause)
    {
        public KeptView(SavedRow row, string cause)
            : this(row.Name, row.Create, row.Owner, row.Details, row.Acl, row.Reads, row.Columns, cause)
        {
        }
    }

    /// <summary>What <see cref="ScriptAsync"/> writes: the views kept, the SQL that drops them and the SQL that re-creates them.</summary>
    internal sealed record ScriptedViews(IReadOnlyList<string> Names, string Drop, string Recreate);

    [GeneratedRegex(@"\bCREATE\s+(OR\s+REPLACE\s+)?((TEMP|TEMPORARY|RECURSIVE)\s+)*VIEW\s+(?<name>[\w.""]+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateView();
}

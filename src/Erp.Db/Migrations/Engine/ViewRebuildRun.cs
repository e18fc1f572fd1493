using System.Text.RegularExpressions;
using Dapper;
using DbUp.Engine;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// One migrate transaction over a database that holds views (docs/view-rebuilds.md): migrations
/// and functions run first, each under a savepoint; one that fails because a mart view depends on
/// what it changes is rolled back to its savepoint, that view and the views that read it are
/// dropped, and it runs again. Then only the views to rebuild are rebuilt: the ones dropped that
/// way are re-created in place; the others (their files changed, or they read a view that did)
/// are built beside the old ones under a temporary name and swapped in at the end, so readers
/// wait only for the swap. Plain views no view script makes (a migration's reader view, a DBA's
/// own) that stand in the way are kept (<see cref="KeptViews"/>): dropped and re-created as they were.
/// </summary>
/// <param name="session">The migrate session (holds the advisory lock).</param>
/// <param name="catalog">Every script, for the view order and the view scripts.</param>
/// <param name="run">Runs scripts on the session inside the open transaction; journals those in the dictionary.</param>
/// <param name="logger">Where progress goes.</param>
internal sealed partial class ViewRebuildRun(
    NpgsqlConnection session,
    ScriptCatalog catalog,
    Func<IReadOnlyList<SqlScript>, IReadOnlyDictionary<string, MigrationScript>, Task> run,
    ILogger logger)
{
    private const string Savepoint = "erpdb_script";

    private readonly Dictionary<string, MigrationScript> byName = catalog.Scripts.ToDictionary(s => s.Name);
    private readonly List<MigrationScript> views = [.. catalog.Scripts.Where(s => s.Kind == ScriptKind.View)];
    private readonly KeptViews kept = new(session, KeptViews.ScriptMade(catalog.Scripts.Where(s => s.Kind == ScriptKind.View)), logger);

    /// <summary>Runs <paramref name="toRun"/> (no script of it marked no-transaction) and commits; returns what ran, rebuilt views included.</summary>
    public async Task<IReadOnlyList<ScriptStatus>> RunAsync(IReadOnlyList<ScriptStatus> toRun, CancellationToken cancellationToken)
    {
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        var grants = (await session.QueryAsync<OwnGrant>(new CommandDefinition(ViewRebuildSql.OwnGrants, cancellationToken: cancellationToken))).ToList();
        var dropped = new Dictionary<string, string>(); // view -> why
        foreach (var status in toRun.Where(s => s.Kind != ScriptKind.View))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await RunDroppingDependentViewsAsync(byName[status.Name], dropped, cancellationToken);
        }

        var rebuilt = await PlanViewsAsync(toRun, dropped, cancellationToken);
        await RebuildAsync(rebuilt.Select(s => s.Name).ToList(), cancellationToken);
        await kept.RecreateAsync(all: true, cancellationToken);
        await RestoreGrantsAsync(grants, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return [.. toRun.Where(s => s.Kind != ScriptKind.View).Concat(rebuilt).Select(WithKeptViews)];
    }

    /// <summary>The status with the plain views re-created because of its script, if any, added to why it ran.</summary>
    private ScriptStatus WithKeptViews(ScriptStatus status) => kept.RecreatedFor.TryGetValue(status.Name, out var names)
        ? status with { Reason = $"{status.Reason}; kept the plain views {string.Join(", ", names)} (dropped and re-created as they were)" }
        : status;

    private async Task RunDroppingDependentViewsAsync(MigrationScript script, Dictionary<string, string> dropped, CancellationToken cancellationToken)
    {
        while (true)
        {
            await session.ExecuteAsync(new CommandDefinition($"SAVEPOINT {Savepoint}", cancellationToken: cancellationToken));
            try
            {
                await run([new SqlScript(script.Name, script.Contents)], byName);
                await session.ExecuteAsync(new CommandDefinition($"RELEASE SAVEPOINT {Savepoint}", cancellationToken: cancellationToken));
                await kept.RecreateAsync(all: false, cancellationToken);
                return;
            }
            catch (MigrationScriptException e) when (e.SqlState is "2BP01" or "0A000" && e.Statement is not null)
            {
                await session.ExecuteAsync(new CommandDefinition($"ROLLBACK TO SAVEPOINT {Savepoint}", cancellationToken: cancellationToken));
                // As the login, whatever role an earlier script left the transaction in: a DBA's view may sit in a schema erp_owner cannot see.
                await session.ExecuteAsync(new CommandDefinition("SELECT pg_catalog.set_config('role', 'none', true)", cancellationToken: cancellationToken));
                var detail = await DependencyDetailAsync(e.Statement, cancellationToken);
                var named = DependentLine().Matches(detail).Select(m => m.Groups["name"].Value).Distinct().ToList();
                // An incremental aggregate's table is read through its compute function (docs/refresh.md): the error names that.
                var functions = FunctionDependentLine().Matches(detail).Select(m => m.Groups["name"].Value).Distinct().ToArray();
                if (functions.Length > 0)
                {
                    named.AddRange(await session.QueryAsync<string>(new CommandDefinition(ViewRebuildSql.AggregatesComputedBy, new { functions }, cancellationToken: cancellationToken)));
                }
                if (named.Count == 0)
                {
                    // The statement needs the script's earlier ones to fail the same way: read the views from pg_depend instead.
                    var readers = await DependencyForecast.ViewsReadingAsync(session, [.. DependencyForecast.Targets(e.Statement)], cancellationToken);
                    named = [.. readers.Select(r => r.View).Distinct()];
                    detail = string.Join("; ", readers.Select(r => $"{r.View} reads {r.What.Split(',')[0]}").Distinct());
                }
                if (named.Count == 0)
                {
                    throw;
                }
                // Plain views no view script makes (a migration's reader view, a DBA's own) are kept: saved, dropped, re-created after.
                var plain = await kept.PlainAmongAsync(named, cancellationToken);
                var ours = ViewNames([
                    .. await session.QueryAsync<string>(new CommandDefinition(ViewRebuildSql.NamedAndRead, new { names = named.Except(plain).ToArray() }, cancellationToken: cancellationToken)),
                    .. await session.QueryAsync<string>(new CommandDefinition(ViewRebuildSql.WithDependents, new { names = plain.ToArray() }, cancellationToken: cancellationToken))]);
                var closure = ViewNames([.. await session.QueryAsync<string>(new CommandDefinition(ViewRebuildSql.WithDependents, new { names = ours.ToArray() }, cancellationToken: cancellationToken))]);
                closure = [.. views.Select(ViewOrder.ViewName).Where(ViewOrder.WithDependents(views, closure).Contains)];
                var saved = await kept.SaveAsync([.. plain, .. closure], script.Name, cancellationToken);
                if (saved.Count == 0 && ours.All(dropped.ContainsKey))
                {
                    throw; // nothing left to drop: an object that is neither a view script's nor a plain view (a user's materialized view) depends on it, a DBA decides
                }
                var reason = $"depends on what {script.Name} changes: {detail.Split('\n')[0]}";
                foreach (var view in closure.Where(v => !dropped.ContainsKey(v)))
                {
                    dropped[view] = ours.Contains(view) ? reason : $"reads a view that {script.Name} makes migrate drop";
                }
                logger.LogInformation("{Script} needs {Views} dropped ({Reason}); dropping them and running it again", script.Name, string.Join(", ", saved.Concat(closure)), detail.Split('\n')[0]);
                await kept.DropAsync(saved, cancellationToken);
                await DropAsync(closure.AsEnumerable().Reverse().ToList(), cancellationToken);
            }
        }
    }

    /// <summary>The views to rebuild, in dependency order: planned ones, dropped ones, and every view that reads one of them.</summary>
    private async Task<List<ScriptStatus>> PlanViewsAsync(IReadOnlyList<ScriptStatus> toRun, Dictionary<string, string> dropped, CancellationToken cancellationToken)
    {
        var planned = toRun.Where(s => s.Kind == ScriptKind.View).ToDictionary(s => ViewOrder.ViewName(byName[s.Name]));
        var names = planned.Keys.Concat(dropped.Keys).ToList();
        var readers = ViewNames([.. await session.QueryAsync<string>(new CommandDefinition(ViewRebuildSql.WithDependents, new { names = names.ToArray() }, cancellationToken: cancellationToken))]);
        var all = ViewOrder.WithDependents(views, names.Concat(readers));
        var result = new List<ScriptStatus>();
        foreach (var script in views.Where(v => all.Contains(ViewOrder.ViewName(v))))
        {
            var name = ViewOrder.ViewName(script);
            var reason = dropped.GetValueOrDefault(name);
            result.Add(planned.TryGetValue(name, out var status)
                ? reason is null ? status : status with { Reason = $"{status.Reason}; {reason}" }
                : new ScriptStatus(script.Name, ScriptKind.View, ScriptState.Changed, script.Sha256, script.Sha256, null, null,
                    reason ?? "reads a view that is rebuilt"));
        }
        return result;
    }

    /// <summary>Builds beside what it can, swaps those in, then re-creates in place what it could not.</summary>
    private async Task RebuildAsync(List<string> scriptNames, CancellationToken cancellationToken)
    {
        if (scriptNames.Count == 0)
        {
            return;
        }
        // Plain views no view script makes that read these (a DBA's own view over a reader view): the drops below take them with CASCADE.
        foreach (var script in scriptNames.Select(n => byName[n]))
        {
            await kept.SaveAsync([ViewOrder.ViewName(script)], script.Name, cancellationToken);
        }
        var snapshot = await session.ExecuteScalarAsync<string>(new CommandDefinition(ViewRebuildSql.Snapshot, cancellationToken: cancellationToken));
        var beside = new List<(MigrationScript Script, ViewScriptParts Parts)>();
        var inPlace = new List<MigrationScript>();
        foreach (var script in scriptNames.Select(n => byName[n]))
        {
            var parts = ViewScriptParts.TrySplit(script);
            var readsInPlace = ViewOrder.Requires(script).Any(r => inPlace.Any(p => ViewOrder.ViewName(p) == r));
            if (parts is null || readsInPlace
                || !await session.ExecuteScalarAsync<bool>(new CommandDefinition(ViewRebuildSql.Exists, new { name = parts.ViewName }, cancellationToken: cancellationToken)))
            {
                inPlace.Add(script);
                continue;
            }
            logger.LogInformation("Building {View} beside the current one", parts.ViewName);
            await run([new SqlScript(script.Name, parts.Build(beside.Select(b => b.Parts.ViewName)))], EmptyJournal);
            beside.Add((script, parts));
        }

        // The swap: the only part readers of these views wait for.
        await DropAsync(beside.Select(b => b.Parts.ViewName).Reverse().ToList(), cancellationToken);
        foreach (var (script, parts) in beside)
        {
            var renames = await session.QueryAsync<string>(new CommandDefinition(ViewRebuildSql.RenameStatements,
                new { temporary = ViewScriptParts.TemporaryName(parts.ViewName), name = parts.ViewName.Split('.')[1], suffix = ViewScriptParts.TemporarySuffix },
                cancellationToken: cancellationToken));
            foreach (var rename in renames.ToList())
            {
                await session.ExecuteAsync(new CommandDefinition(rename, cancellationToken: cancellationToken));
            }
            await run([new SqlScript(script.Name, ViewRebuildSql.SetSnapshot(snapshot!) + parts.Tail)], byName);
        }

        foreach (var script in inPlace)
        {
            logger.LogInformation("Re-creating {View} in place", ViewOrder.ViewName(script));
            await run([new SqlScript(script.Name, script.Contents)], byName);
        }
        foreach (var name in scriptNames.Select(n => ViewOrder.ViewName(byName[n])))
        {
            if (!await session.ExecuteScalarAsync<bool>(new CommandDefinition(ViewRebuildSql.Exists, new { name }, cancellationToken: cancellationToken)))
            {
                throw new MigrationException($"View {name} is missing after its rebuild: another rebuilt view's script dropped it. Check that every view file's '-- requires:' header names the views it reads.");
            }
        }
    }

    /// <summary>
    /// Grants again what a DBA had granted by hand on mart relations that a rebuild dropped and
    /// re-created (a view script grants only the warehouse's roles): a BI role keeps its access.
    /// </summary>
    private async Task RestoreGrantsAsync(List<OwnGrant> grants, CancellationToken cancellationToken)
    {
        if (grants.Count == 0)
        {
            return;
        }
        var statements = (await session.QueryAsync<string>(new CommandDefinition(ViewRebuildSql.RestoreGrants, new
        {
            relations = grants.Select(g => g.Relation).ToArray(),
            grantees = grants.Select(g => g.Grantee).ToArray(),
            privileges = grants.Select(g => g.Privilege).ToArray(),
            grantables = grants.Select(g => g.Grantable).ToArray(),
        }, cancellationToken: cancellationToken))).ToList();
        foreach (var grant in statements)
        {
            logger.LogInformation("Granting again what the rebuild dropped: {Grant}", grant);
            await session.ExecuteAsync(new CommandDefinition(grant, cancellationToken: cancellationToken));
        }
    }

    /// <summary>A privilege on a mart relation held by a role of the DBA's (<see cref="ViewRebuildSql.OwnGrants"/>).</summary>
    private sealed record OwnGrant(string Relation, string Grantee, string Privilege, bool Grantable);

    private static readonly IReadOnlyDictionary<string, MigrationScript> EmptyJournal = new Dictionary<string, MigrationScript>();

    private async Task DropAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var drops = await session.QueryAsync<string>(new CommandDefinition(ViewRebuildSql.DropStatements, new { names = names.ToArray() }, cancellationToken: cancellationToken));
        foreach (var drop in drops.ToList())
        {
            await session.ExecuteAsync(new CommandDefinition(drop, cancellationToken: cancellationToken));
        }
    }

    /// <summary>The names that view scripts make, of those given, in script order.</summary>
    private List<string> ViewNames(IReadOnlyCollection<string> names) =>
        [.. views.Select(ViewOrder.ViewName).Where(names.Contains)];

    /// <summary>
    /// PostgreSQL's list of the objects that depend on what <paramref name="statement"/> drops or
    /// retypes (SQLSTATE 2BP01 or 0A000), from <see cref="ViewRebuildSql.Probe"/>; empty when it fails otherwise.
    /// </summary>
    private async Task<string> DependencyDetailAsync(string statement, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(new CommandDefinition("SAVEPOINT erpdb_probe", cancellationToken: cancellationToken));
        var detail = "";
        try
        {
            await session.ExecuteAsync(new CommandDefinition(ViewRebuildSql.SetProbeStatement, new { statement }, cancellationToken: cancellationToken));
            await session.ExecuteAsync(new CommandDefinition(ViewRebuildSql.Probe, cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.RaiseException)
        {
            detail = e.MessageText;
        }
        catch (PostgresException)
        {
            // The statement fails otherwise on its own (it needs the script's earlier statements): no list.
        }
        await session.ExecuteAsync(new CommandDefinition("ROLLBACK TO SAVEPOINT erpdb_probe", cancellationToken: cancellationToken));
        return detail;
    }

    [GeneratedRegex(@"(^|\n)function (?<name>[^\s.(]+\.[^\s(]+)\(")]
    private static partial Regex FunctionDependentLine();

    [GeneratedRegex(@"(^|\n)(rule \S+ on )?(materialized view|view) (?<name>(""([^""]|"""")+""|[^\s.""]+)\.(""([^""]|"""")+""|[^\s.""]+)) depends on")]
    private static partial Regex DependentLine();
}

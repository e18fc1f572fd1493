using System.Collections.Concurrent;
using System.Diagnostics;
using Erp.Db.Migrations;
using Erp.Db.Queries;
using Erp.Db.Queries.Sales;
using Npgsql;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// migrate.unrelated and migrate.related: 4 dashboard readers (the library's sales query, in a loop)
/// run while migrate applies a migration that touches nothing a view reads (a comment and a new
/// table), then one that drops a column exactly one view reads (with that view's file changed to
/// stop reading it). maxWait is the longest single dashboard query that overlapped the migrate
/// run, against the longest one in 2 quiet seconds before it (after 2 s of warm-up); views rebuilt
/// are counted from migrate's result; a poller samples sessions waiting on a lock every 10 ms. A copy of the shared seeded database (which stays as it is).
/// </summary>
internal static class MigrationUnderReaders
{
    private const int Readers = 4;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var seeded = await SeededDatabase.CopyAsync(context, await context.SeededAsync(), "mig_readers");
        await using var dataSource = seeded.DataSource;

        var scripts = Path.Combine(Path.GetTempPath(), $"erpdb-bench-scripts-{Guid.NewGuid():N}");
        foreach (var script in ScriptCatalog.Embedded().Scripts)
        {
            Write(scripts, script.Name, script.Contents);
        }
        try
        {
            // The readers share this process: a first migrate without them compiles the migrate path, so
            // what is measured is the database, not the JIT on a 2-core machine.
            Write(scripts, "migrations/9989_bench_warm_up.sql", "CREATE TABLE dw.bench_warm_up (id integer PRIMARY KEY);");
            await new MigrationRunner(dataSource, ScriptCatalog.FromDirectory(scripts), new MigrationOptions { Schedule = false }).MigrateAsync(cancellationToken: cancellationToken);
            var erp = new ErpDatabase(dataSource);
            var query = new SalesQuery { MerchantId = 1, Period = Period.LastDays(30, seeded.LastDay) };
            Write(scripts, "migrations/9990_bench_comment.sql",
                "COMMENT ON TABLE dw.dim_products IS 'Products, described again by the bench.';\nCREATE TABLE dw.bench_probe (id integer PRIMARY KEY);");
            var unrelated = await MeasureAsync(dataSource, scripts, () => erp.Queries.SalesAsync(query, cancellationToken), cancellationToken);

            // mart.mv_traffic_funnel_daily is the only view that reads dw.fact_traffic_funnel.page_views.
            Write(scripts, "migrations/9991_bench_drop_page_views.sql", "ALTER TABLE dw.fact_traffic_funnel DROP COLUMN page_views;");
            var funnel = "views/mart.mv_traffic_funnel_daily.sql";
            var original = ScriptCatalog.Embedded().Scripts.Single(s => s.Name == funnel).Contents;
            // The column goes from the compute function's SELECT and from the aggregate's table.
            var changed = original.Replace("       f.page_views::bigint AS page_views,\n", "", StringComparison.Ordinal);
            var withoutColumn = changed.Replace("    page_views       bigint   NOT NULL,\n", "", StringComparison.Ordinal);
            if (changed == original || withoutColumn == changed)
            {
                throw new InvalidOperationException($"{funnel} no longer reads f.page_views as the bench expects: pick another column read by one view.");
            }
            Write(scripts, funnel, withoutColumn);
            var related = await MeasureAsync(dataSource, scripts, () => erp.Queries.SalesAsync(query, cancellationToken), cancellationToken);

            context.Log.WriteLine($"migrate under {Readers} dashboard readers: unrelated {unrelated.Migrate.TotalMilliseconds:0} ms, max wait {unrelated.MaxWaitMs:0.0} ms "
                + $"(idle max {unrelated.IdleMaxMs:0.0} ms), views rebuilt [{string.Join(", ", unrelated.Rebuilt)}]; related {related.Migrate.TotalMilliseconds:0} ms, "
                + $"max wait {related.MaxWaitMs:0.0} ms (idle max {related.IdleMaxMs:0.0} ms), views rebuilt [{string.Join(", ", related.Rebuilt)}]; errors {unrelated.Errors + related.Errors}");
            foreach (var wait in unrelated.LockWaits.Concat(related.LockWaits).Distinct())
            {
                context.Log.WriteLine($"  lock wait seen: {wait}");
            }
            return
            [
                BenchResult.Compare("migrate.unrelated.readers.maxWait", unrelated.MaxWaitMs, "ms", "longest dashboard query with nothing migrating", unrelated.IdleMaxMs, "value < 100 ms"),
                new BenchResult("migrate.unrelated.viewsRebuilt", unrelated.Rebuilt.Count, "views", "none allowed", 0, unrelated.Rebuilt.Count, "0"),
                BenchResult.Compare("migrate.related.readers.maxWait", related.MaxWaitMs, "ms", "longest dashboard query with nothing migrating", related.IdleMaxMs, "value < 100 ms"),
                new BenchResult("migrate.related.viewsRebuilt", related.Rebuilt.Count, "views", "the one view that reads the dropped column", 1, related.Rebuilt.Count, "1"),
                new BenchResult("migrate.readers.lockWaits", unrelated.LockWaits.Count + related.LockWaits.Count, "samples", "sessions seen waiting on a lock (every 10 ms) during both runs", 0, unrelated.LockWaits.Count + related.LockWaits.Count, "0"),
                BenchResult.Compare("migrate.related.duration", related.Migrate.TotalMilliseconds, "ms", "migrate of the unrelated migration", unrelated.Migrate.TotalMilliseconds),
            ];
        }
        finally
        {
            Directory.Delete(scripts, recursive: true);
        }
    }

    private sealed record Measured(TimeSpan Migrate, double MaxWaitMs, double IdleMaxMs, IReadOnlyList<string> Rebuilt, int Errors, IReadOnlyList<string> LockWaits);

    private const string LockWaitSample = """
        SELECT string_agg(left(a.query, 60) || ' waits for ' || coalesce((SELECT string_agg(left(b.query, 60), ' | ')
                                                                            FROM pg_stat_activity AS b WHERE b.pid = ANY (pg_blocking_pids(a.pid))), '?'), E'\n')
          FROM pg_stat_activity AS a
         WHERE a.wait_event_type = 'Lock' AND a.datname = current_database() AND a.backend_type = 'client backend'
        """;

    /// <summary>Readers warm up for 2 s, run 2 s with nothing migrating, then through a migrate of <paramref name="scripts"/>, then 0.3 s longer.</summary>
    private static async Task<Measured> MeasureAsync(NpgsqlDataSource dataSource, string scripts, Func<Task> dashboard, CancellationToken cancellationToken)
    {
        // migrate runs DbUp's synchronous calls on pool threads: enough threads that readers' continuations never queue behind them.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Readers * 4), io);
        var clock = Stopwatch.StartNew();
        var queries = new ConcurrentBag<(double Start, double End)>();
        var errors = 0;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, Readers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var start = clock.Elapsed.TotalMilliseconds;
                try
                {
                    await dashboard();
                    queries.Add((start, clock.Elapsed.TotalMilliseconds));
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, cancellationToken)).ToList();

        // Evidence of what readers wait for: every 10 ms, the sessions of this database waiting on a lock, and who holds it.
        var lockWaits = new ConcurrentBag<string>();
        var poller = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var sample = dataSource.CreateCommand(LockWaitSample);
                if (await sample.ExecuteScalarAsync(CancellationToken.None) is string waiting)
                {
                    lockWaits.Add(waiting);
                }
                await Task.Delay(10, CancellationToken.None);
            }
        }, CancellationToken.None);
        // Warm up (connections, plans), then a quiet baseline, then migrate.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var idleStart = clock.Elapsed.TotalMilliseconds;
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var idleEnd = clock.Elapsed.TotalMilliseconds;
        var migrateStart = clock.Elapsed.TotalMilliseconds;
        var result = await new MigrationRunner(dataSource, ScriptCatalog.FromDirectory(scripts), new MigrationOptions { Schedule = false })
            .MigrateAsync(cancellationToken: cancellationToken);
        var migrateEnd = clock.Elapsed.TotalMilliseconds;
        await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        await poller;

        var all = queries.ToList();
        var idle = all.Where(q => q.Start >= idleStart && q.End <= idleEnd).Select(q => q.End - q.Start).DefaultIfEmpty(double.NaN).Max();
        var during = all.Where(q => q.End >= migrateStart && q.Start <= migrateEnd).Select(q => q.End - q.Start).DefaultIfEmpty(double.NaN).Max();
        var rebuilt = result.Scripts.Where(s => s.Kind == ScriptKind.View).Select(s => Path.GetFileNameWithoutExtension(s.Name)).ToList();
        return new Measured(TimeSpan.FromMilliseconds(migrateEnd - migrateStart), during, idle, rebuilt, errors, [.. lockWaits.Distinct()]);
    }

    private static void Write(string folder, string name, string contents)
    {
        var file = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, contents);
    }
}

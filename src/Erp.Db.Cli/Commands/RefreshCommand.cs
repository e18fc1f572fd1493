using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Refresh;
using Microsoft.Extensions.Logging;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb refresh VIEW...|--all|--full|--due|--watch [--interval 60s]</c>: refresh materialized views and incremental aggregates.</summary>
internal sealed class RefreshCommand : Command
{
    private const string Trigger = "cli";

    private readonly Argument<string[]> views = new("view")
    {
        Description = "Views to refresh (mart.mv_daily_sales or mv_daily_sales); refreshed in dependency order.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<bool> all = new("--all") { Description = "Refresh every registered view (incremental aggregates rebuilt from scratch)." };

    private readonly Option<bool> full = new("--full") { Description = "Rebuild from scratch: alone, every view (as --all); with view names, those views, incremental aggregates recomputed in full instead of only their invalidated buckets." };

    private readonly Option<bool> due = new("--due") { Description = "Refresh what is due or dirty (what the pg_cron job runs every minute)." };

    private readonly Option<bool> watch = new("--watch") { Description = "Run the due refresh every --interval until Ctrl+C (for servers without pg_cron)." };

    private readonly Option<string> interval = new("--interval") { Description = "Time between due refreshes with --watch, e.g. 60s, 5m. Default 60s.", DefaultValueFactory = _ => "60s" };

    private readonly Database database;
    private readonly CommandOutput output;
    private readonly ILoggerFactory loggers;

    public RefreshCommand(CommandRunner runner, Database database, CommandOutput output, ILoggerFactory loggers)
        : base("refresh", "Refresh materialized views and incremental aggregates.\nThe ones named, --all (or --full: everything rebuilt from scratch), what is --due, or --watch to keep refreshing what is due. Incremental aggregates recompute only their invalidated buckets unless --full. A failing view is reported and the others still refresh.")
    {
        this.database = database;
        this.output = output;
        this.loggers = loggers;
        Arguments.Add(views);
        Options.Add(all);
        Options.Add(full);
        Options.Add(due);
        Options.Add(watch);
        Options.Add(interval);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var names = parseResult.GetValue(views) ?? [];
        var rebuild = parseResult.GetValue(full);
        var everything = parseResult.GetValue(all) || (rebuild && names.Length == 0);
        var modes = (names.Length > 0 ? 1 : 0) + (everything ? 1 : 0) + (parseResult.GetValue(due) ? 1 : 0) + (parseResult.GetValue(watch) ? 1 : 0);
        if (modes != 1 || (rebuild && (parseResult.GetValue(due) || parseResult.GetValue(watch))))
        {
            throw CliException.Validation("Say what to refresh: view names (optionally with --full), --all or --full, --due or --watch (exactly one).");
        }
        var every = parseResult.GetValue(watch) ? IntervalParser.Parse(parseResult.GetValue(interval)!) : TimeSpan.Zero;
        var refresher = (await database.GetErpAsync(parseResult, cancellationToken)).Refresh;
        if (parseResult.GetValue(watch))
        {
            return await WatchAsync(refresher, every, cancellationToken);
        }
        var results = names.Length > 0 && rebuild ? await refresher.RebuildAsync(names, Trigger, cancellationToken)
            : names.Length > 0 ? await refresher.RefreshAsync(names, Trigger, cancellationToken)
            : everything ? await refresher.RefreshAllAsync(Trigger, cancellationToken)
            : await refresher.RefreshDueAsync(Trigger, cancellationToken);
        var failed = results.Where(r => r.Status == RefreshStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            throw new CliException(ErrorCodes.RefreshFailed,
                $"{failed.Count} of {results.Count} refresh(es) failed: {string.Join("; ", failed.Select(f => $"{f.View}: {f.Error}"))}. The others succeeded or were skipped.",
                ExitCodes.Failure, new { results = results.Select(RefreshView.Result) });
        }
        var caption = results.Count == 0 ? "Nothing was due." : $"{results.Count(r => r.Status == RefreshStatus.Succeeded)} refreshed, {results.Count(r => r.Status == RefreshStatus.Skipped)} skipped.";
        return new CommandResult(new { results = results.Select(RefreshView.Result) }, RefreshView.Results(results, caption));
    }

    private async Task<CommandResult> WatchAsync(ViewRefresher refresher, TimeSpan every, CancellationToken cancellationToken)
    {
        var worker = new RefreshWorker(refresher, new RefreshWorkerOptions { Interval = every, Trigger = "watch" }, loggers.CreateLogger<RefreshWorker>());
        var refreshed = 0;
        var failed = 0;
        worker.RunCompleted += (_, results) =>
        {
            refreshed += results.Count(r => r.Status == RefreshStatus.Succeeded);
            failed += results.Count(r => r.Status == RefreshStatus.Failed);
            output.Note($"{DateTimeOffset.Now:HH:mm:ss} due refresh: {string.Join(", ", results.Select(r => $"{r.View} {r.Status.ToString().ToLowerInvariant()}").DefaultIfEmpty("nothing due"))}");
        };
        output.Note($"Refreshing what is due every {every.TotalSeconds:0.###}s; Ctrl+C to stop.");
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stopping the worker cancels the run in progress (logged as cancelled).
        }
        await worker.StopAsync(CancellationToken.None);
        var data = new { runs = worker.Runs, refreshed, failed, intervalSeconds = every.TotalSeconds };
        return new CommandResult(data, new TableView(["Runs", "Refreshed", "Failed"],
            [[worker.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture), refreshed.ToString(System.Globalization.CultureInfo.InvariantCulture), failed.ToString(System.Globalization.CultureInfo.InvariantCulture)]],
            "Stopped watching."));
    }
}

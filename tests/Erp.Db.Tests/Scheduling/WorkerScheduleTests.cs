using Erp.Db.Health;
using Erp.Db.Refresh;
using Erp.Db.Scheduling;

namespace Erp.Db.Tests.Scheduling;

/// <summary>
/// The hosted RefreshWorker is the scheduler where pg_cron is not installed (docs/refresh.md): by default it runs each job as
/// often as its pg_cron schedule in sql/schedules does, so the two schedulers keep the same books. Two truths that must agree.
/// </summary>
public class WorkerScheduleTests
{
    [Fact]
    public void The_workers_default_intervals_are_the_periods_of_the_pg_cron_jobs_it_stands_in_for()
    {
        var defaults = new RefreshWorkerOptions();
        (string Job, TimeSpan Worker)[] pairs =
        [
            ("refresh_due", defaults.Interval),
            // The worker runs the watchdog at every tick, as the job runs every minute.
            ("cancel_overrunning_refreshes", defaults.Interval),
            ("ensure_partitions", defaults.PartitionInterval),
            ("mark_overdue_receivables", defaults.OverdueCheckInterval),
            ("check_stock_levels", defaults.StockCheckInterval),
        ];

        var declared = ScheduleScript.Embedded().ToDictionary(s => s.Name, s => DatabaseDoctor.CronPeriod(s.Cron));

        Assert.All(pairs, p => Assert.Equal((p.Job, (TimeSpan?)p.Worker), (p.Job, declared[p.Job])));
        // Every job of the database has its counterpart in the worker; purge_run_details trims pg_cron's own history.
        Assert.Equal(declared.Keys.Where(j => j != "purge_run_details").Order(StringComparer.Ordinal), pairs.Select(p => p.Job).Order(StringComparer.Ordinal));
    }
}

using Erp.Db.Seeding;
using Spectre.Console;

namespace Erp.Db.Cli.Commands;

/// <summary>Shows the seeder's progress as one Spectre.Console task per table (reported synchronously, from the COPY's thread).</summary>
internal sealed class SeedProgressBar(ProgressContext context) : IProgress<SeedProgress>
{
    private readonly Dictionary<string, ProgressTask> tasks = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public void Report(SeedProgress value)
    {
        lock (gate)
        {
            if (!tasks.TryGetValue(value.Table, out var task))
            {
                task = context.AddTask(Markup.Escape(value.Table), maxValue: Math.Max(1, value.ExpectedRows));
                task.IsIndeterminate = value.ExpectedRows <= 0;
                tasks[value.Table] = task;
            }
            if (value.Done)
            {
                task.IsIndeterminate = false;
                task.MaxValue = Math.Max(1, value.Rows);
                task.Value = task.MaxValue;
                task.StopTask();
                return;
            }
            task.Value = Math.Min(value.Rows, task.MaxValue);
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace Erp.Db.Bench;

/// <summary>
/// Records every command Npgsql runs in this process while it is alive (through Npgsql's <c>ActivitySource</c>): when it
/// started, how long it took and its SQL, so a scenario can say where its time went between the statements.
/// </summary>
internal sealed class StatementTimer : IDisposable
{
    private readonly ConcurrentQueue<Statement> statements = new();
    private readonly ActivityListener listener;

    public StatementTimer()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => statements.Enqueue(new Statement(
                activity.StartTimeUtc, activity.Duration,
                (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) as string ?? activity.DisplayName)),
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>The commands finished so far, in the order they started.</summary>
    public IReadOnlyList<Statement> Statements => [.. statements.OrderBy(s => s.Started)];

    public void Dispose() => listener.Dispose();

    /// <summary>Writes each statement to <paramref name="log"/>: its duration and the start of its SQL on one line.</summary>
    public static void Log(TextWriter log, string step, IEnumerable<Statement> statements)
    {
        log.WriteLine($"{step}, statement by statement:");
        foreach (var statement in statements)
        {
            log.WriteLine($"  {statement.Duration.TotalMilliseconds,10:0.0} ms  {Shorten(statement.Sql)}");
        }
    }

    private static string Shorten(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 100 ? line : line[..100];
    }

    /// <summary>One command: its start (UTC), its duration and its SQL.</summary>
    internal sealed record Statement(DateTime Started, TimeSpan Duration, string Sql)
    {
        public DateTime Ended => Started + Duration;
    }
}

using System.Diagnostics;

namespace Erp.Db.Migrations.Engine;

/// <summary>Times the script DbUp is running, from its first command to its journal entry.</summary>
internal sealed class ScriptTimer
{
    private long started;

    public void Start() => started = Stopwatch.GetTimestamp();

    public decimal ElapsedMilliseconds => Math.Round((decimal)Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
}

using System.Diagnostics;

namespace Erp.Db.Bench;

/// <summary>Wall-clock timing of an async step.</summary>
internal static class Timing
{
    public static async Task<TimeSpan> TimeAsync(Func<Task> step)
    {
        var started = Stopwatch.GetTimestamp();
        await step();
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Runs an external program and times it; throws when it fails.</summary>
    public static async Task<TimeSpan> TimeProcessAsync(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }
        return elapsed;
    }
}

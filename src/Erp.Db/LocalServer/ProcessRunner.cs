using System.Diagnostics;

namespace Erp.Db.LocalServer;

/// <summary>Runs a PostgreSQL binary, as the postgres user when we are root.</summary>
internal static class ProcessRunner
{
    public static bool IsRoot => Environment.UserName == "root";

    public sealed record Result(int ExitCode, string Output);

    /// <summary>
    /// Runs <paramref name="file"/> and returns its exit code and output. With <paramref name="libpqEnvironment"/>, the process
    /// (and the postmaster pg_ctl starts, whose pg_cron connects through libpq) gets none of the caller's PG* variables, only
    /// these: a PGPASSWORD or PGHOST meant for another server must never steer the server's own connections.
    /// </summary>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? libpqEnvironment = null)
    {
        var start = new ProcessStartInfo
        {
            FileName = IsRoot ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (IsRoot)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["LC_ALL"] = "C";
        if (libpqEnvironment is not null)
        {
            // runuser keeps the environment (it resets only HOME, SHELL, USER and LOGNAME), so these reach the server as root too.
            foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(inherited);
            }
            foreach (var (name, value) in libpqEnvironment)
            {
                start.Environment[name] = value;
            }
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new Result(process.ExitCode, (await stdout + await stderr).Trim());
    }

    /// <summary>Gives a folder (and, when <paramref name="recursive"/>, all it holds) to the postgres user when we are root, so the server may use it.</summary>
    public static async Task GiveToServerUserAsync(string path, bool recursive, CancellationToken cancellationToken)
    {
        if (!IsRoot)
        {
            return;
        }
        using var chown = Process.Start("chown", recursive ? ["-R", "postgres:postgres", path] : ["postgres:postgres", path]);
        await chown.WaitForExitAsync(cancellationToken);
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not give {path} to the postgres user; as root, the local server runs as 'postgres', which must exist (it comes with Debian's postgresql package).");
        }
    }
}

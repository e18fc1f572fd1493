using System.Diagnostics;
using System.Text;
using Npgsql;

namespace Erp.Db.Tests.Faults;

/// <summary>
/// erpdb run as a real child process (<c>dotnet erpdb.dll ...</c>), so a test can kill it with SIGKILL
/// at a point it controls. Its connections carry an application name of their own, so the test can
/// find the run's backends in pg_stat_activity.
/// </summary>
internal sealed class ErpdbProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();

    private ErpdbProcess(Process process) => this.process = process;

    /// <summary>The application_name of every connection this run opens.</summary>
    public required string ApplicationName { get; init; }

    /// <summary>Starts <c>erpdb ARGS --connection CONNECTION</c> with a unique application name.</summary>
    public static ErpdbProcess Start(string connectionString, params string[] args)
    {
        var applicationName = $"erpdb-fault-{Guid.NewGuid():N}"[..28];
        var connection = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = applicationName }.ConnectionString;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "erpdb.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.ArgumentList.Add("--connection");
        info.ArgumentList.Add(connection);
        var process = new Process { StartInfo = info };
        var run = new ErpdbProcess(process) { ApplicationName = applicationName };
        process.OutputDataReceived += (_, e) => { lock (run.output) { run.output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (run.error) { run.error.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    public string Output
    {
        get { lock (output) { return output.ToString(); } }
    }

    public string Error
    {
        get { lock (error) { return error.ToString(); } }
    }

    /// <summary>Waits until one of this run's backends matches <paramref name="condition"/> (SQL over pg_stat_activity); returns its pid.</summary>
    public async Task<int> WaitForBackendAsync(string adminConnectionString, string condition)
    {
        await using var admin = NpgsqlDataSource.Create(adminConnectionString);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            await using var command = admin.CreateCommand($"SELECT pid FROM pg_catalog.pg_stat_activity WHERE application_name = $1 AND ({condition}) LIMIT 1");
            command.Parameters.AddWithValue(ApplicationName);
            if (await command.ExecuteScalarAsync() is int pid)
            {
                return pid;
            }
            if (process.HasExited)
            {
                throw new InvalidOperationException($"erpdb exited ({process.ExitCode}) before a backend matched {condition}.\nstdout: {Output}\nstderr: {Error}");
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"No backend of erpdb matched {condition}.\nstderr: {Error}");
    }

    /// <summary>kill -9: SIGKILL on Linux, no chance to clean up.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>Waits for the run to end by itself; returns its exit code.</summary>
    public async Task<int> WaitAsync()
    {
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>How many backends of this (dead) run are left, after waiting up to a minute for them to go.</summary>
    public async Task<long> BackendsLeftAsync(string adminConnectionString)
    {
        await using var admin = NpgsqlDataSource.Create(adminConnectionString);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            await using var command = admin.CreateCommand("SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE application_name = $1");
            command.Parameters.AddWithValue(ApplicationName);
            var left = (long)(await command.ExecuteScalarAsync())!;
            if (left == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        process.Dispose();
    }
}

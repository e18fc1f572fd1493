using System.Diagnostics;
using Npgsql;

namespace Erp.Db.Tests.Infrastructure;

/// <summary>Runs PostgreSQL's client programs (psql, pg_dump) against a test database.</summary>
internal static class PgTools
{
    public sealed record Run(int ExitCode, string Output, string Error);

    /// <summary><c>psql -X -1 -v ON_ERROR_STOP=1 -f FILE</c>: the file in one transaction, stopping at the first error.</summary>
    public static Task<Run> PsqlFileAsync(string connectionString, string file) =>
        RunAsync("psql", connectionString, ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-f", file]);

    /// <summary><c>pg_dump --schema-only</c> of the database, optionally of one schema.</summary>
    public static async Task<string> SchemaDumpAsync(string connectionString, string? schema = null)
    {
        var run = await RunAsync("pg_dump", connectionString, schema is null ? ["--schema-only"] : ["--schema-only", "--schema", schema]);
        Assert.True(run.ExitCode == 0, $"pg_dump failed: {run.Error}");
        // pg_dump 15.14+ fences its output with \restrict KEY ... \unrestrict KEY, a random key per run.
        return string.Join('\n', run.Output.Split('\n').Where(l => !l.StartsWith("\\restrict ", StringComparison.Ordinal) && !l.StartsWith("\\unrestrict ", StringComparison.Ordinal)));
    }

    private static async Task<Run> RunAsync(string tool, string connectionString, string[] args)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var versioned = Path.Combine("/usr/lib/postgresql/15/bin", tool);
        var start = new ProcessStartInfo(File.Exists(versioned) ? versioned : tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args.Concat(["-h", target.Host!, "-p", target.Port.ToString(), "-U", target.Username!, "-d", target.Database!]))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["PGPASSWORD"] = target.Password ?? "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Run(process.ExitCode, await output, await error);
    }
}

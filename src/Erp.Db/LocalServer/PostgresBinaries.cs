namespace Erp.Db.LocalServer;

/// <summary>The machine's PostgreSQL server binaries, and whether pg_cron is installed beside them.</summary>
internal sealed partial record PostgresBinaries(string BinDirectory, string Version, bool HasPgCron)
{
    public string InitDb => Path.Combine(BinDirectory, "initdb");

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    public static async Task<PostgresBinaries> FindAsync(string? configured, CancellationToken cancellationToken)
    {
        var bin = configured ?? Environment.GetEnvironmentVariable("ERPDB_PG_BIN") ?? Candidates().FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "No PostgreSQL server binaries found (initdb, pg_ctl). Install them (Debian: apt-get install postgresql-15 postgresql-15-cron), "
                + "set ERPDB_PG_BIN to their folder, or give a connection with --connection or ERPDB_CONNECTION.");
        var version = await RunAsync(Path.Combine(bin, "pg_ctl"), "--version", cancellationToken);
        var libDir = File.Exists(Path.Combine(bin, "pg_config"))
            ? await RunAsync(Path.Combine(bin, "pg_config"), "--pkglibdir", cancellationToken)
            : Path.Combine(bin, "..", "lib");
        return new PostgresBinaries(bin, VersionNumber().Match(version) is { Success: true } m ? m.Groups[1].Value : version, File.Exists(Path.Combine(libDir, "pg_cron.so")));
    }

    /// <summary>"pg_ctl (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" gives 15.18.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\(PostgreSQL\) (\S+)")]
    private static partial System.Text.RegularExpressions.Regex VersionNumber();

    private static IEnumerable<string> Candidates()
    {
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            foreach (var dir in Directory.GetDirectories(debian).OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            {
                yield return Path.Combine(dir, "bin");
            }
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return dir;
        }
    }

    private static async Task<string> RunAsync(string file, string argument, CancellationToken cancellationToken)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, argument) { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException($"Could not run {file}.");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return output.Trim();
    }
}

using System.Text.RegularExpressions;

namespace Erp.Db.Scheduling;

/// <summary>
/// One pg_cron job declared in <c>sql/schedules/&lt;name&gt;.sql</c>: its header says when
/// (<c>-- cron: * * * * *</c>) and where (<c>-- runs in: database</c> or <c>cron</c>); its body is
/// the command, a <c>format()</c> template in which <c>%1$L</c> (or <c>%L</c> once) is the job name prefix.
/// </summary>
/// <param name="Name">File name without extension; the job is named <c>erpdb:&lt;database&gt;:&lt;Name&gt;</c>.</param>
/// <param name="Cron">The cron expression.</param>
/// <param name="RunsInCronDatabase">True when the command runs in the cron database rather than the migrated one.</param>
/// <param name="CommandTemplate">The command without its comment header.</param>
public sealed partial record ScheduleScript(string Name, string Cron, bool RunsInCronDatabase, string CommandTemplate)
{
    /// <summary>The schedules embedded in Erp.Db.</summary>
    public static IReadOnlyList<ScheduleScript> Embedded()
    {
        var assembly = typeof(ScheduleScript).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("sql/schedules/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return Parse(Path.GetFileNameWithoutExtension(n), reader.ReadToEnd());
            })];
    }

    /// <summary>Reads a schedule file.</summary>
    /// <exception cref="FormatException">The name holds a colon, or the header lacks <c>-- cron:</c> or has an unknown <c>-- runs in:</c>.</exception>
    public static ScheduleScript Parse(string name, string text)
    {
        if (name.Contains(':', StringComparison.Ordinal))
        {
            // Job names are erpdb:<database>:<schedule>; a colon-free schedule name keeps them unambiguous.
            throw new FormatException($"Schedule {name}: a schedule name may not contain ':'.");
        }
        var cron = CronLine().Match(text);
        var runsIn = RunsInLine().Match(text);
        if (!cron.Success)
        {
            throw new FormatException($"Schedule {name} has no '-- cron: <expression>' header line.");
        }
        var where = runsIn.Success ? runsIn.Groups[1].Value.Trim() : "database";
        if (where is not ("database" or "cron"))
        {
            throw new FormatException($"Schedule {name}: '-- runs in:' must be database or cron, not '{where}'.");
        }
        var body = string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim();
        return new ScheduleScript(name, cron.Groups[1].Value.Trim(), where == "cron", body);
    }

    [GeneratedRegex(@"^--\s*cron:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex CronLine();

    [GeneratedRegex(@"^--\s*runs in:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex RunsInLine();
}

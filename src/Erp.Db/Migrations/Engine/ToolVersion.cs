using System.Reflection;

namespace Erp.Db.Migrations.Engine;

/// <summary>The version of Erp.Db (and so of erpdb) that is running, as journaled with each script.</summary>
internal static class ToolVersion
{
    /// <summary>The assembly's informational version, e.g. <c>1.4.0+3f2a9c1</c>.</summary>
    public static string Current { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ToolVersion).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>
    /// True when <paramref name="applied"/> is a later release than <paramref name="running"/>,
    /// comparing the numeric part (<c>1.4.0</c> of <c>1.4.0-beta+3f2a9c1</c>); unknown or
    /// unparsable versions are never newer.
    /// </summary>
    public static bool IsNewer(string? applied, string running) =>
        Core(applied) is { } a && Core(running) is { } r && a > r;

    private static Version? Core(string? version) =>
        version is not null && Version.TryParse(version.Split('+', '-')[0], out var parsed) ? parsed : null;
}

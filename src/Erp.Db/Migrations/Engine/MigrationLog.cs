using System.Globalization;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// DbUp's log, routed to the runner's <see cref="ILogger"/>. DbUp reports a failing script with two error entries that each hold
/// the exception's full text, stack traces included (about 90 lines), and a warning that the transaction rolls back; yet the
/// failure is not final there (the view rebuild recovers from a script that failed on a view in its way), and the exception the
/// caller gets has all of it. So DbUp's errors go to Debug, their first line only, and its warnings (it warns only of that
/// rollback) to Information; <see cref="MigrationRunner"/> logs a script that failed for good once, in one line.
/// </summary>
internal sealed class MigrationLog(ILogger logger) : IUpgradeLog
{
    public void LogTrace(string format, params object[] args) => Write(LogLevel.Trace, format, args);

    public void LogDebug(string format, params object[] args) => Write(LogLevel.Debug, format, args);

    public void LogInformation(string format, params object[] args) => Write(LogLevel.Information, format, args);

    public void LogWarning(string format, params object[] args) => Write(LogLevel.Information, format, args);

    public void LogError(string format, params object[] args) => Write(LogLevel.Debug, format, args, firstLineOnly: true);

    public void LogError(Exception ex, string format, params object[] args) => Write(LogLevel.Debug, format, args, firstLineOnly: true);

    /// <summary>DbUp's message (a composite format string, <c>{0}</c>), formatted; cut at its first line break when asked.</summary>
    private void Write(LogLevel level, string format, object[] args, bool firstLineOnly = false)
    {
        if (!logger.IsEnabled(level))
        {
            return;
        }
        var text = args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
        var end = firstLineOnly ? text.IndexOfAny(['\r', '\n']) : -1;
        logger.Log(level, "{DbUp}", end < 0 ? text : text[..end]);
    }
}

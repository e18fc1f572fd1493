using System.Globalization;
using System.Text.RegularExpressions;
using Erp.Db.Cli.Output;

namespace Erp.Db.Cli.Commands;

/// <summary>Reads intervals such as <c>60s</c>, <c>5m</c>, <c>1h</c>, <c>500ms</c> or <c>00:01:00</c>.</summary>
internal static partial class IntervalParser
{
    public static TimeSpan Parse(string text)
    {
        var match = Short().Match(text.Trim());
        TimeSpan? value = match.Success
            ? match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)),
                "m" => TimeSpan.FromMinutes(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)),
                "h" => TimeSpan.FromHours(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)),
                _ => TimeSpan.FromSeconds(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)),
            }
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        if (value is not { } interval || interval <= TimeSpan.Zero || interval > TimeSpan.FromDays(1))
        {
            throw CliException.Validation($"--interval '{text}' is not an interval between 1ms and 1 day; use e.g. 60s, 5m, 1h.");
        }
        return interval;
    }

    [GeneratedRegex(@"^(\d{1,9})(ms|s|m|h)?$")]
    private static partial Regex Short();
}

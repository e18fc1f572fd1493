using System.Globalization;

namespace Erp.Db.Cli.Commands;

/// <summary>
/// An import's rows per second, as the summary states it: whole rows from 10 a second, one decimal below (1 row in 2.4 s is
/// 0.4 rows/s, not 0), and "under 0.1" below that.
/// </summary>
internal static class ImportRate
{
    /// <summary>The rate for the JSON: two decimals below 10 rows a second, else whole; 0 when no time passed.</summary>
    public static double Value(long rows, TimeSpan elapsed) =>
        elapsed.TotalSeconds > 0 && rows / elapsed.TotalSeconds is var rate ? Math.Round(rate, rate < 10 ? 2 : 0) : 0;

    /// <summary>The rate as the text summary writes it, e.g. <c>0.4 rows/s</c> or <c>51234 rows/s</c>.</summary>
    public static string Text(long rows, TimeSpan elapsed) => Value(rows, elapsed) switch
    {
        var rate when rows > 0 && rate < 0.05 => "under 0.1 rows/s",
        var rate when rate < 10 => rate.ToString("0.0", CultureInfo.InvariantCulture) + " rows/s",
        var rate => rate.ToString("0", CultureInfo.InvariantCulture) + " rows/s",
    };
}

using System.Globalization;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>How tables print values: invariant culture, thousands separators, fixed decimals, times with date and offset.</summary>
internal static class Cells
{
    public static string Money(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>A nullable amount: n/a when there is none.</summary>
    public static string Money(decimal? value) => value is { } v ? Money(v) : "n/a";

    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>A nullable count: n/a when there is none.</summary>
    public static string Count(long? value) => value is { } v ? Count(v) : "n/a";

    /// <summary>A point in time with its date and UTC offset, e.g. 2026-12-02 01:58 +00:00.</summary>
    public static string Time(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    public static string Percent(decimal? value) => value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";

    public static string Freshness(IReadOnlyList<Erp.Db.Queries.ViewFreshness> views) =>
        views.Count == 0 ? "" : "Data as of " + string.Join(", ", views.Select(v =>
            $"{v.View.Replace("mart.mv_", "", StringComparison.Ordinal)} {(v.LastRefresh is { } at ? Time(at) : "never")}{(v.Failing ? " (refresh failing)" : v.Stale ? " (stale)" : v.PendingChanges ? " (newer data pending)" : "")}"));
}

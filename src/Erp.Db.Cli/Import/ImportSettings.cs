namespace Erp.Db.Cli.Import;

/// <summary>
/// How <c>erpdb import</c> reads values: the merchant's date format (null: ISO yyyy-MM-dd only), how many problems it collects
/// before it stops, and the time zone of timestamps written without an offset (null: UTC).
/// </summary>
internal sealed record ImportSettings(string? DateFormat, int MaxErrors, TimeZoneInfo? TimeZone = null);

namespace Erp.Db.Cli.Import;

/// <summary>
/// How <c>erpdb import</c> reads values: the merchant's date format (null: ISO yyyy-MM-dd only), how many problems it collects
/// before it stops, the time zone of timestamps written without an offset (null: UTC), and the one merchant whose rows the file
/// may hold (<c>--merchant</c>; null: any).
/// </summary>
internal sealed record ImportSettings(string? DateFormat, int MaxErrors, TimeZoneInfo? TimeZone = null, ImportMerchant? Merchant = null);

/// <summary>The merchant <c>import --merchant</c> names: a row naming another is a problem, a row naming none is this merchant's.</summary>
internal sealed record ImportMerchant(long Id, string Code);

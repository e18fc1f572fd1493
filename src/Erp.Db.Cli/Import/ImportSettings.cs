namespace Erp.Db.Cli.Import;

/// <summary>How <c>erpdb import</c> reads values: the merchant's date format (null: ISO yyyy-MM-dd only) and how many problems it collects before it stops.</summary>
internal sealed record ImportSettings(string? DateFormat, int MaxErrors);

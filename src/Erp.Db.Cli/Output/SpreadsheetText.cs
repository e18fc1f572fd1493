using System.Globalization;

namespace Erp.Db.Cli.Output;

/// <summary>
/// CSV cells as a spreadsheet may open them. A text that starts with =, +, -, @, a tab or a carriage return is a formula to
/// Excel and LibreOffice (<c>=HYPERLINK(...)</c> in a product name would run for whoever opens the export), so it gets a
/// leading apostrophe: shown as written, never run. So does one that starts with the full-width ＝＋－＠ a Chinese or Japanese
/// input method types, which a spreadsheet in those locales may read as the half-width sign. Numbers keep their sign.
/// </summary>
internal static class SpreadsheetText
{
    private const string FormulaStarts = "=+-@\t\r＝＋－＠";

    public static string Guard(string cell) =>
        cell.Length > 0 && FormulaStarts.Contains(cell[0], StringComparison.Ordinal) && !IsNumber(cell) ? "'" + cell : cell;

    /// <summary>-1234.5, -1,234.50 or -12.5%: a figure, not a formula.</summary>
    private static bool IsNumber(string cell) =>
        decimal.TryParse(cell.TrimEnd('%'), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _);
}

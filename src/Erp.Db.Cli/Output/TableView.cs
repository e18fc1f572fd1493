namespace Erp.Db.Cli.Output;

/// <summary>Rows as text, for the table and CSV formats.</summary>
/// <param name="Headers">Column titles for people.</param>
/// <param name="Rows">Each row's cells as displayed (thousands separators, percentages, n/a).</param>
/// <param name="Caption">A sentence under the table: totals, notes, freshness.</param>
/// <param name="Records">
/// The data the rows show, when they show a list: CSV writes these instead of the display cells, one column per property named as
/// in JSON and raw values (1234.5, 0.1234, 2026-12-02, empty for none), so that a spreadsheet or script reads numbers.
/// </param>
/// <param name="Page">Where <paramref name="Records"/> are one page of a longer list: which page, of how many.</param>
/// <param name="WrapText">
/// The text cells are sentences to read in full (a problem and its fix, an error): when they would be shortened to fit the
/// width, each row prints vertically instead, its values wrapped at the width and their own line breaks kept.
/// </param>
internal sealed record TableView(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, string? Caption = null,
    IEnumerable<object>? Records = null, bool WrapText = false, PageOf? Page = null);

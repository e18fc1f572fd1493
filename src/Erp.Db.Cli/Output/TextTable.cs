using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Erp.Db.Cli.Output;

/// <summary>
/// Renders a <see cref="TableView"/> as plain text that fits a terminal width without ever breaking
/// a number or a word across lines: numeric columns are right-aligned and never shortened, nor
/// are times or the first column (what the row is about); other text columns are shortened with an
/// ellipsis, and when even that cannot fit, each row is printed vertically as "header : value" lines.
/// A view whose text must be read whole (<see cref="TableView.WrapText"/>) is printed vertically, wrapped, rather than shortened.
/// </summary>
internal static partial class TextTable
{
    private const string Gap = "  ";
    private const int MinTextWidth = 8;

    public static string Render(TableView view, int width)
    {
        var text = new StringBuilder();
        if (view.Rows.Count == 0)
        {
            AppendWrapped(text, view.Caption ?? "(no rows)", width);
            return text.ToString();
        }
        var headers = view.Headers.Select(OneLine).ToArray();
        var rows = view.Rows.Select(r => r.Select(OneLine).ToArray()).ToArray();
        var numeric = Enumerable.Range(0, headers.Length)
            .Select(c => rows.All(r => r[c].Length == 0 || IsNumber(r[c])) && rows.Any(r => r[c].Length > 0))
            .ToArray();
        var whole = Enumerable.Range(0, headers.Length)
            .Select(c => c == 0 || numeric[c] || rows.All(r => r[c].Length == 0 || TimePattern().IsMatch(r[c])))
            .ToArray();
        var widths = Enumerable.Range(0, headers.Length)
            .Select(c => rows.Select(r => TerminalText.Width(r[c])).Append(numeric[c] ? TerminalText.Width(headers[c]) : Math.Min(TerminalText.Width(headers[c]), MinTextWidth)).Max())
            .ToArray();

        var natural = widths.ToArray();
        if (view.WrapText && (!Fit(widths, whole, width) || !widths.SequenceEqual(natural)))
        {
            AppendVerticalWrapped(text, headers, view.Rows, width);
        }
        else if (Fit(widths, whole, width))
        {
            AppendLine(text, headers, widths, numeric, shortenHeaders: true);
            text.AppendLine(string.Join(Gap, widths.Select(w => new string('-', w))).TrimEnd());
            foreach (var row in rows)
            {
                AppendLine(text, row, widths, numeric, shortenHeaders: false);
            }
        }
        else
        {
            AppendVertical(text, headers, rows);
        }
        if (view.Caption is not null)
        {
            text.AppendLine();
            AppendWrapped(text, view.Caption, width);
        }
        return text.ToString();
    }

    /// <summary>Narrows the widest text columns until the row fits; false when it cannot.</summary>
    private static bool Fit(int[] widths, bool[] whole, int width)
    {
        int Total() => widths.Sum() + (Gap.Length * (widths.Length - 1));
        while (Total() > width)
        {
            var widest = Enumerable.Range(0, widths.Length)
                .Where(c => !whole[c] && widths[c] > MinTextWidth)
                .OrderByDescending(c => widths[c])
                .FirstOrDefault(-1);
            if (widest < 0)
            {
                return false;
            }
            widths[widest] = Math.Max(MinTextWidth, widths[widest] - (Total() - width));
        }
        return true;
    }

    private static void AppendLine(StringBuilder text, string[] cells, int[] widths, bool[] numeric, bool shortenHeaders)
    {
        var line = string.Join(Gap, cells.Select((cell, c) =>
        {
            var value = numeric[c] && !shortenHeaders ? cell : TerminalText.Shorten(cell, widths[c]);
            return numeric[c] ? TerminalText.PadLeft(value, widths[c]) : TerminalText.PadRight(value, widths[c]);
        }));
        text.AppendLine(line.TrimEnd());
    }

    private static void AppendVertical(StringBuilder text, string[] headers, string[][] rows)
    {
        var labelWidth = headers.Max(TerminalText.Width);
        for (var r = 0; r < rows.Length; r++)
        {
            if (r > 0)
            {
                text.AppendLine();
            }
            for (var c = 0; c < headers.Length; c++)
            {
                text.Append(TerminalText.PadRight(headers[c], labelWidth)).Append(" : ").AppendLine(rows[r][c]);
            }
        }
    }

    /// <summary>
    /// Each row as "header : value" lines, a value wrapped at the width (its continuation lines indented under it) and its
    /// own line breaks kept: nothing is shortened.
    /// </summary>
    private static void AppendVerticalWrapped(StringBuilder text, string[] headers, IReadOnlyList<IReadOnlyList<string>> rows, int width)
    {
        var labelWidth = headers.Max(TerminalText.Width);
        var indent = new string(' ', labelWidth + 3);
        var valueWidth = Math.Max(MinTextWidth, width - indent.Length);
        for (var r = 0; r < rows.Count; r++)
        {
            if (r > 0)
            {
                text.AppendLine();
            }
            for (var c = 0; c < headers.Length; c++)
            {
                var value = new StringBuilder();
                foreach (var line in rows[r][c].ReplaceLineEndings("\n").Split('\n'))
                {
                    AppendWrapped(value, line, valueWidth);
                }
                var lines = value.ToString().TrimEnd().Split(Environment.NewLine);
                text.Append(TerminalText.PadRight(headers[c], labelWidth)).Append(" : ").AppendLine(lines[0]);
                foreach (var more in lines.Skip(1))
                {
                    text.Append(indent).AppendLine(more);
                }
            }
        }
    }

    /// <summary>Prose wrapped at spaces: a word is never split, a word longer than the width gets a line of its own.</summary>
    private static void AppendWrapped(StringBuilder text, string prose, int width)
    {
        var line = new StringBuilder();
        foreach (var word in OneLine(prose).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && TerminalText.Width(line.ToString()) + 1 + TerminalText.Width(word) > width)
            {
                text.AppendLine(line.ToString());
                line.Clear();
            }
            line.Append(line.Length > 0 ? " " : "").Append(word);
        }
        text.AppendLine(line.ToString());
    }

    /// <summary>
    /// A cell on one line: line breaks and tabs (which a terminal widens to its next stop) become spaces, other control
    /// characters their escapes (<see cref="TerminalText.Printable"/>).
    /// </summary>
    private static string OneLine(string value) => TerminalText.Printable(value.ReplaceLineEndings(" ").Replace('\t', ' '));

    private static bool IsNumber(string value) =>
        value == "n/a" || NumberPattern().IsMatch(value);

    [GeneratedRegex(@"^[-+]?[0-9][0-9,]*(\.[0-9]+)?%?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?( |$)", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();

    /// <summary>The width to render for: COLUMNS when set, the terminal's width, else 80.</summary>
    public static int Width(Func<string, string?> environment, bool isTerminal)
    {
        if (int.TryParse(environment("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns >= 20)
        {
            return columns;
        }
        if (isTerminal)
        {
            try
            {
                return Math.Max(20, Console.WindowWidth);
            }
            catch (IOException)
            {
            }
        }
        return 80;
    }
}

using System.Globalization;
using System.Text;

namespace Erp.Db.Cli.Output;

/// <summary>
/// Text measured in terminal columns rather than UTF-16 code units: a Chinese, Japanese or Korean character or an emoji
/// takes two columns, a combining mark or a zero-width joiner none. Without it a table holding 张三 was two columns
/// narrower than its lines, and an emoji cut by an ellipsis lost half of its surrogate pair.
/// </summary>
internal static class TerminalText
{
    /// <summary>The columns <paramref name="text"/> takes on a terminal.</summary>
    public static int Width(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += Width(rune);
        }
        return width;
    }

    /// <summary>The longest start of <paramref name="text"/> that fits <paramref name="width"/> columns less one, then "…"; the text itself when it fits.</summary>
    public static string Shorten(string text, int width)
    {
        if (Width(text) <= width)
        {
            return text;
        }
        var kept = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var next = Width(rune);
            if (used + next > width - 1)
            {
                break;
            }
            kept.Append(rune.ToString());
            used += next;
        }
        return kept.Append('…').ToString();
    }

    /// <summary>
    /// <paramref name="text"/> safe to print on a terminal: every control character (C0 but a line break when
    /// <paramref name="keepLineBreaks"/>, DEL, C1) and every bidirectional override or isolate is written as the escape a
    /// programmer reads (<c>\x1B</c>, <c>\u202E</c>), as psql does. Names come from files and platforms: an ESC in a product
    /// name would otherwise be a terminal command (colour, window title, clipboard, a cursor move that overwrites the numbers
    /// printed before it), and a right-to-left override would show 00.321 for 123.00.
    /// </summary>
    public static string Printable(string text, bool keepLineBreaks = false)
    {
        if (!text.Any(c => NeedsEscape(c, keepLineBreaks)))
        {
            return text;
        }
        var printable = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!NeedsEscape(c, keepLineBreaks))
            {
                printable.Append(c);
            }
            else if (c <= 0xFF)
            {
                printable.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                printable.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }
        return printable.ToString();
    }

    private static bool NeedsEscape(char c, bool keepLineBreaks) =>
        (char.IsControl(c) && !(keepLineBreaks && c is '\n' or '\r'))
        || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary><paramref name="text"/> with spaces on the left up to <paramref name="width"/> columns.</summary>
    public static string PadLeft(string text, int width) => new string(' ', Math.Max(0, width - Width(text))) + text;

    /// <summary><paramref name="text"/> with spaces on the right up to <paramref name="width"/> columns.</summary>
    public static string PadRight(string text, int width) => text + new string(' ', Math.Max(0, width - Width(text)));

    private static int Width(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format or UnicodeCategory.Control)
        {
            return 0;
        }
        return IsWide(rune.Value) ? 2 : 1;
    }

    /// <summary>East Asian wide and fullwidth characters, and the emoji blocks terminals draw two columns wide.</summary>
    private static bool IsWide(int c) =>
        c is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0x303E) or (>= 0x3041 and <= 0x33FF) or (>= 0x3400 and <= 0x4DBF)
            or (>= 0x4E00 and <= 0x9FFF) or (>= 0xA000 and <= 0xA4CF) or (>= 0xA960 and <= 0xA97F) or (>= 0xAC00 and <= 0xD7A3)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0xFE10 and <= 0xFE19) or (>= 0xFE30 and <= 0xFE6F) or (>= 0xFF00 and <= 0xFF60)
            or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x1F300 and <= 0x1F64F) or (>= 0x1F680 and <= 0x1F6FF) or (>= 0x1F900 and <= 0x1F9FF)
            or (>= 0x20000 and <= 0x3FFFD);
}

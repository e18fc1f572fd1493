using System.Globalization;
using System.Text;
using CsCheck;

namespace Erp.Db.Tests.Faults;

/// <summary>Generators of hostile input: SQL fragments, quotes, NUL, huge numbers, bad dates, broken encodings.</summary>
internal static class Hostile
{
    /// <summary>The fixed seed of every hostile-input property: a failure prints the seed that reproduces it.</summary>
    public const string Seed = "0N0XIzNsQ0O2";

    /// <summary>Iterations per property: modest, for CI time.</summary>
    public const int Iterations = 30;

    private static readonly string[] Fragments =
    [
        "'; DROP TABLE dw.fact_sales_orders; --", "' OR '1'='1", "1; DELETE FROM ops.mv_registry", "1) OR (1=1", "\"", "'", "''", "`",
        "\0", "a\0b", "%", "_", "\\", "%'--", "$$", "$1", "@merchant", ":p", "?", "*/", "/*", "E'\\x00'", "\\x00",
        "99999999999999999999999999", "-9223372036854775809", "9223372036854775808", "2147483648", "-2147483649", "1e400", "1e-400",
        "NaN", "Infinity", "-0", "0x10", "1_000", "1,5", "١٢٣", "１２３", "+-1", "--1",
        "2025-02-30", "0000-00-00", "9999-12-31", "0001-01-01", "2025-13-01", "2025-1-1", "31/12/2025", "yesterday", "2025-01-01T25:00",
        "", " ", "\t", "\r\n", "\ud800", "\udc00x", "\uFEFF1", "Ã©Ã¨", "\u202edesrever", "\u0085", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "null", "true", "[]", "{}",
        "--format", "-m", "--", "@file", new string('x', 5000), new string('9', 400),
    ];

    /// <summary>A hostile string: a known-bad fragment, one glued to noise, or any string.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (4, (IGen<string>)Gen.OneOf(Fragments)),
        (2, Gen.Select(Gen.OneOf(Fragments), Gen.String, (a, b) => a + b)),
        (2, Gen.String),
        (1, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Decimal.Select(d => d.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (1, Gen.DateOnly.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));

    /// <summary>Writes <paramref name="text"/> as UTF-8, except that a lone surrogate (which UTF-8 cannot hold) is written as the
    /// three bytes a careless encoder would produce: an invalid byte sequence, as files from other systems may contain.</summary>
    public static Task WriteFileAsync(string path, string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsSurrogatePair(text, i))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i++, 2)));
            }
            else if (char.IsSurrogate(c))
            {
                bytes.AddRange([(byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F))]);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return File.WriteAllBytesAsync(path, bytes.ToArray());
    }

    /// <summary>A CSV field holding <paramref name="value"/> verbatim.</summary>
    public static string CsvField(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

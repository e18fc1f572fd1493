using System.Text;

namespace Erp.Db.Cli.Import.Sources;

/// <summary>
/// The encodings a text import file may have: UTF-8 (with or without BOM) and GB18030, the superset of GBK and GB2312
/// that Chinese platforms and Excel export. Both decoders are strict: a byte sequence that is not valid fails the file.
/// </summary>
internal static class TextEncodings
{
    public const string Utf8Name = "utf-8";

    public const string Gb18030Name = "gb18030";

    public static readonly string[] Names = [Utf8Name, Gb18030Name, "gbk"];

    static TextEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Get(string name) => name switch
    {
        Utf8Name => new UTF8Encoding(false, throwOnInvalidBytes: true),
        _ => Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
    };

    /// <summary>
    /// The encoding <paramref name="option"/> names (utf-8, gb18030 or gbk), or when null the file's: UTF-8 unless some non-ASCII byte
    /// of it cannot belong to a UTF-8 sequence, then GB18030. A UTF-8 file with a damaged sequence (e.g. an encoded lone surrogate) stays
    /// UTF-8, so it is rejected naming its line rather than read as Chinese. A file whose every non-ASCII character is two bytes that
    /// read both as UTF-8 beyond the Latin letters (Cyrillic, Greek, ...) and as GBK characters (肖一 is D0 A4 D2 BB, which UTF-8
    /// reads as Фһ) could be either: <see cref="AmbiguousEncodingException"/>, naming both readings, rather than a guess that
    /// silently stores the wrong text.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="option"/> is not an encoding this reads.</exception>
    /// <exception cref="AmbiguousEncodingException">No option, and the file reads as both.</exception>
    public static string Resolve(string path, string? option)
    {
        if (option is not null)
        {
            return option.Trim().ToLowerInvariant() switch
            {
                "utf-8" or "utf8" => Utf8Name,
                "gb18030" or "gbk" or "gb2312" or "cp936" => Gb18030Name,
                _ => throw new ArgumentException(option),
            };
        }
        var (utf8Shaped, ambiguous) = Scan(path);
        if (!utf8Shaped)
        {
            return Gb18030Name;
        }
        return ambiguous is null ? Utf8Name : throw new AmbiguousEncodingException(Get(Utf8Name).GetString(ambiguous), Get(Gb18030Name).GetString(ambiguous));
    }

    /// <summary>
    /// Whether the file starts with a UTF-16 byte order mark (FF FE or FE FF; UTF-32's FF FE 00 00 too): Excel's "Unicode Text",
    /// whose every other byte is 00. Read as UTF-8 or GBK it could only be refused for a byte FF, as if it were a damaged GBK file.
    /// </summary>
    public static bool HasUtf16Bom(string path)
    {
        Span<byte> start = stackalloc byte[2];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return stream.ReadAtLeast(start, 2, throwOnEndOfStream: false) == 2 && (start is [0xFF, 0xFE] or [0xFE, 0xFF]);
    }

    /// <summary>
    /// The first line (1-based) that is not valid in <paramref name="encoding"/>, with the text before the bad bytes, the bad bytes
    /// themselves and the first line's text, or null when every line is valid. Lines are cut at the byte 0x0A, which is never part of a UTF-8 or GB18030
    /// character; a UTF-8 BOM starting the file is skipped. For the message of a file the reader refused: it decodes ahead of the parser,
    /// so the parser's line is not where the bad bytes are.
    /// </summary>
    public static InvalidBytes? FirstInvalidLine(string path, string encoding)
    {
        var decoder = Get(encoding);
        using var stream = new BufferedStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
        var line = new MemoryStream();
        long number = 1;
        int b;
        var first = true;
        string? firstLine = null;
        while (true)
        {
            b = stream.ReadByte();
            if (b is '\n' or -1)
            {
                var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
                if (first && encoding == Utf8Name && bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                {
                    bytes = bytes[3..];
                }
                try
                {
                    decoder.GetCharCount(bytes);
                }
                catch (DecoderFallbackException e)
                {
                    var bad = e.BytesUnknown ?? [];
                    return new InvalidBytes(number, decoder.GetString(bytes[..BadStart(decoder, bytes, bad)]), bad) { FirstLine = firstLine };
                }
                if (b == -1)
                {
                    return null;
                }
                firstLine ??= decoder.GetString(bytes).TrimEnd('\r');
                (first, number) = (false, number + 1);
                line.SetLength(0);
                continue;
            }
            line.WriteByte((byte)b);
        }
    }

    /// <summary>Where in <paramref name="bytes"/> the first invalid sequence, <paramref name="bad"/>, starts: fed byte by byte, the decoder fails at it or at the byte after.</summary>
    private static int BadStart(Encoding encoding, ReadOnlySpan<byte> bytes, byte[] bad)
    {
        var decoder = encoding.GetDecoder();
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < bytes.Length; i++)
        {
            try
            {
                decoder.GetChars(bytes.Slice(i, 1), chars, flush: false);
            }
            catch (DecoderFallbackException)
            {
                var start = i + 1 - bad.Length;
                return Math.Max(start >= 0 && bytes[start..(i + 1)].SequenceEqual(bad) ? start : i - bad.Length, 0);
            }
        }
        return Math.Max(bytes.Length - bad.Length, 0);
    }

    /// <summary>
    /// Streams the file once and weighs what its non-ASCII bytes say. UTF-8 when every one sits in a lead + continuation shape of UTF-8;
    /// then, when every sequence is two bytes, the first run of them that reads beyond the Latin letters is returned as ambiguous (null when
    /// none does, or when a three- or four-byte sequence shows the file is UTF-8: GBK text does not keep that shape for long). A file with
    /// misfits is damaged UTF-8, not GBK, when its well-formed sequences are at least eight per misfit, or at least one per misfit while
    /// more than a tenth of what GB18030 would read is outside GB2312: read as GBK, UTF-8 Chinese gives rare characters (张三 as 寮犱笁),
    /// and GBK text breaks the UTF-8 shape every few characters. Else GB18030.
    /// </summary>
    private static (bool Utf8Shaped, byte[]? Ambiguous) Scan(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        var utf8 = new Utf8Shape();
        var gbk = new GbkShape();
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            for (var i = 0; i < span.Length; i++)
            {
                if (utf8.Pending == 0 && gbk.Pending == 0)
                {
                    // Skip the ASCII run (most of a file) in one vectorized search; ASCII ends the sampled run.
                    var next = span[i..].IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
                    utf8.Sampling &= next == 0;
                    if (next < 0)
                    {
                        break;
                    }
                    i += next;
                }
                utf8.Add(span[i]);
                gbk.Add(span[i]);
            }
        }
        utf8.End();
        gbk.End();
        if (utf8.Misfits == 0)
        {
            return (true, utf8.LongSequence ? null : utf8.Sample?.ToArray());
        }
        var damaged = utf8.Sequences >= 8L * utf8.Misfits || (utf8.Sequences >= utf8.Misfits && gbk.Rare * 10 > gbk.Common + gbk.Rare);
        return (damaged, null);
    }

    /// <summary>The UTF-8 reading of a file's non-ASCII bytes: well-formed sequences, misfits (a byte breaking the shape), and the sample of two-byte ones.</summary>
    private sealed class Utf8Shape
    {
        private byte lead;

        public int Pending { get; private set; }

        public long Sequences { get; private set; }

        public long Misfits { get; private set; }

        public bool LongSequence { get; private set; }

        public List<byte>? Sample { get; private set; }

        public bool Sampling { get; set; }

        public void Add(byte b)
        {
            if (Pending > 0)
            {
                if (b is >= 0x80 and <= 0xBF)
                {
                    if (--Pending == 0)
                    {
                        Sequences++;
                        if (lead <= 0xDF)
                        {
                            TwoBytes(b);
                        }
                    }
                    return;
                }
                // The sequence broke off: the byte starts afresh.
                (Misfits, Pending) = (Misfits + 1, 0);
            }
            if (b < 0x80)
            {
                Sampling = false;
                return;
            }
            // C0 and C1 only ever start overlong forms, F5 and above code points past U+10FFFF, 80-BF continue: never a lead.
            Pending = b switch
            {
                >= 0xC2 and <= 0xDF => 1,
                >= 0xE0 and <= 0xEF => 2,
                >= 0xF0 and <= 0xF4 => 3,
                _ => 0,
            };
            if (Pending == 0)
            {
                Misfits++;
                return;
            }
            LongSequence |= Pending > 1;
            Sampling &= Pending == 1;
            lead = b;
        }

        public void End()
        {
            if (Pending > 0)
            {
                (Misfits, Pending) = (Misfits + 1, 0);
            }
        }

        private void TwoBytes(byte b)
        {
            // A two-byte character; from the first beyond Latin Extended-B (U+024F), the run it starts is the sample.
            if (Sample is null && (((lead & 0x1F) << 6) | (b & 0x3F)) > 0x24F)
            {
                (Sample, Sampling) = ([], true);
            }
            if (Sampling && Sample!.Count < 16)
            {
                Sample.Add(lead);
                Sample.Add(b);
            }
        }
    }

    /// <summary>The GB18030 reading of a file's non-ASCII bytes: characters of GB2312 (what Chinese text is made of), and the rest.</summary>
    private sealed class GbkShape
    {
        private byte lead;
        private int expected;

        public int Pending { get; private set; }

        public long Common { get; private set; }

        public long Rare { get; private set; }

        public void Add(byte b)
        {
            if (Pending > 0)
            {
                if (expected == 2 && Pending == 1 && b is >= 0x30 and <= 0x39)
                {
                    // A four-byte GB18030 character: rare in Chinese text.
                    (expected, Pending) = (4, 2);
                    return;
                }
                if (--Pending > 0)
                {
                    return;
                }
                if (expected == 4)
                {
                    Rare++;
                }
                else if (b is >= 0x40 and <= 0xFE and not 0x7F)
                {
                    Common += lead is >= 0xA1 and <= 0xF7 && b >= 0xA1 ? 1 : 0;
                    Rare += lead is >= 0xA1 and <= 0xF7 && b >= 0xA1 ? 0 : 1;
                }
                else
                {
                    Rare++;
                }
                return;
            }
            if (b < 0x80)
            {
                return;
            }
            if (b is 0x80 or 0xFF)
            {
                Rare++;
                return;
            }
            (lead, expected, Pending) = (b, 2, 1);
        }

        public void End()
        {
            if (Pending > 0)
            {
                (Rare, Pending) = (Rare + 1, 0);
            }
        }
    }
}

/// <summary>A text file that reads as UTF-8 and as GBK alike, each giving different text: its encoding must be named.</summary>
internal sealed class AmbiguousEncodingException(string asUtf8, string asGbk)
    : Exception($"The file reads as UTF-8 (\"{asUtf8}\") and as GBK (\"{asGbk}\"): name its encoding with --encoding utf-8 or --encoding gbk.")
{
    public string AsUtf8 { get; } = asUtf8;

    public string AsGbk { get; } = asGbk;
}

/// <summary>Where a text file first breaks its encoding: the line, the text of the line before the bad bytes, and the bytes.</summary>
internal sealed record InvalidBytes(long Line, string Before, byte[] Bytes)
{
    /// <summary>The text of the file's first line (its header), or null when the bad bytes are in it.</summary>
    public string? FirstLine { get; init; }

    /// <summary>The bytes as hex, e.g. E6 9D.</summary>
    public string Hex => Convert.ToHexString(Bytes) is var hex && hex.Length > 0
        ? string.Join(' ', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)))
        : "?";
}

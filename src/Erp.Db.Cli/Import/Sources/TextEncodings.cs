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
    /// The first line (1-based) that is not valid in <paramref name="encoding"/>, or null when every line is. Lines are cut at the
    /// byte 0x0A, which is never part of a UTF-8 or GB18030 character; a UTF-8 BOM starting the file is skipped. For the message of a
    /// file the reader refused: it decodes ahead of the parser, so the parser's line is not where the bad bytes are.
    /// </summary>
    public static long? FirstInvalidLine(string path, string encoding)
    {
        var decoder = Get(encoding);
        using var stream = new BufferedStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
        var line = new MemoryStream();
        long number = 1;
        int b;
        var first = true;
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
                catch (DecoderFallbackException)
                {
                    return number;
                }
                if (b == -1)
                {
                    return null;
                }
                (first, number) = (false, number + 1);
                line.SetLength(0);
                continue;
            }
            line.WriteByte((byte)b);
        }
    }

    /// <summary>
    /// Streams the file once: whether every non-ASCII byte sits in a lead + continuation shape of UTF-8 (stopping at the first misfit), and
    /// when it does but every sequence is two bytes, the first run of them that reads beyond the Latin letters (null when none does, or when
    /// a three- or four-byte sequence shows the file is UTF-8: GBK text does not keep that shape for long).
    /// </summary>
    private static (bool Utf8Shaped, byte[]? Ambiguous) Scan(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        var pending = 0;
        var longSequence = false;
        byte lead = 0;
        List<byte>? sample = null;
        var sampling = false;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (pending == 0)
                {
                    // Skip the ASCII run (most of a file) in one vectorized search; ASCII ends the sampled run.
                    var next = buffer.AsSpan(i, read - i).IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
                    sampling &= next == 0;
                    if (next < 0)
                    {
                        break;
                    }
                    i += next;
                }
                var b = buffer[i];
                if (pending > 0)
                {
                    if (b is < 0x80 or > 0xBF)
                    {
                        return (false, null);
                    }
                    if (--pending == 0 && lead <= 0xDF)
                    {
                        // A two-byte character; from the first beyond Latin Extended-B (U+024F), the run it starts is the sample.
                        if (sample is null && (((lead & 0x1F) << 6) | (b & 0x3F)) > 0x24F)
                        {
                            (sample, sampling) = ([], true);
                        }
                        if (sampling && sample!.Count < 16)
                        {
                            sample.Add(lead);
                            sample.Add(b);
                        }
                    }
                    continue;
                }
                // C0 and C1 only ever start overlong forms, F5 and above code points past U+10FFFF: never UTF-8.
                pending = b switch
                {
                    >= 0xC2 and <= 0xDF => 1,
                    >= 0xE0 and <= 0xEF => 2,
                    >= 0xF0 and <= 0xF4 => 3,
                    _ => -1,
                };
                if (pending < 0)
                {
                    return (false, null);
                }
                longSequence |= pending > 1;
                sampling &= pending == 1;
                lead = b;
            }
        }
        return (true, longSequence ? null : sample?.ToArray());
    }
}

/// <summary>A text file that reads as UTF-8 and as GBK alike, each giving different text: its encoding must be named.</summary>
internal sealed class AmbiguousEncodingException(string asUtf8, string asGbk)
    : Exception($"The file reads as UTF-8 (\"{asUtf8}\") and as GBK (\"{asGbk}\"): name its encoding with --encoding utf-8 or --encoding gbk.")
{
    public string AsUtf8 { get; } = asUtf8;

    public string AsGbk { get; } = asGbk;
}

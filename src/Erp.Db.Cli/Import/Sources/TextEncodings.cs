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
    /// UTF-8, so it is rejected naming its line rather than read as Chinese.
    /// </summary>
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
        return IsUtf8Shaped(path) ? Utf8Name : Gb18030Name;
    }

    /// <summary>Streams the file once (stopping at the first misfit): true when every non-ASCII byte sits in a lead + continuation shape of UTF-8.</summary>
    private static bool IsUtf8Shaped(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        var pending = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (pending == 0)
                {
                    // Skip the ASCII run (most of a file) in one vectorized search.
                    var next = buffer.AsSpan(i, read - i).IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
                    if (next < 0)
                    {
                        break;
                    }
                    i += next;
                }
                var b = buffer[i];
                if (pending > 0)
                {
                    if (b is >= 0x80 and <= 0xBF)
                    {
                        pending--;
                        continue;
                    }
                    return false;
                }
                pending = b switch
                {
                    < 0x80 => 0,
                    >= 0xC0 and <= 0xDF => 1,
                    >= 0xE0 and <= 0xEF => 2,
                    >= 0xF0 and <= 0xF7 => 3,
                    _ => -1,
                };
                if (pending < 0)
                {
                    return false;
                }
            }
        }
        return true;
    }
}

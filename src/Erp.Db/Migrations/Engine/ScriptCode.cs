using System.Security.Cryptography;
using System.Text;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// The code of a script: its text without comments (line and block, also inside function bodies) and without
/// <c>COMMENT ON</c> statements, whitespace collapsed. Two texts with the same code create the same objects and
/// rows, whatever their wording; that is what lets an applied migration be reworded (<c>-- erpdb:reworded-from</c>).
/// </summary>
internal static class ScriptCode
{
    /// <summary>Lower-case hex SHA-256 of the code of <paramref name="contents"/>.</summary>
    public static string Sha256(string contents) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Of(contents))));

    /// <summary>The statements of <paramref name="contents"/> without comments, COMMENT ON statements and runs of whitespace.</summary>
    public static string Of(string contents)
    {
        var code = WithoutComments(contents.Replace("\r\n", "\n", StringComparison.Ordinal));
        return string.Join(";\n", SqlStatementSplitter.Split(code)
            .Select(s => string.Join(' ', s.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .Where(s => s.Length > 0 && !s.StartsWith("COMMENT ON ", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The text with every comment replaced by a space; single-quoted strings are kept whole, even inside dollar-quoted bodies.</summary>
    private static string WithoutComments(string sql)
    {
        var code = new StringBuilder(sql.Length);
        var i = 0;
        while (i < sql.Length)
        {
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (sql[i] == '\'')
            {
                var end = i + 1;
                while (end < sql.Length && !(sql[end] == '\'' && (end + 1 == sql.Length || sql[end + 1] != '\'')))
                {
                    end += sql[end] == '\'' ? 2 : 1;
                }
                end = Math.Min(end + 1, sql.Length);
                code.Append(sql, i, end - i);
                i = end;
            }
            else if (sql[i] == '-' && next == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end;
                code.Append(' ');
            }
            else if (sql[i] == '/' && next == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                code.Append(' ');
            }
            else
            {
                code.Append(sql[i]);
                i++;
            }
        }
        return code.ToString();
    }
}

using System.Text;

namespace Erp.Db.LocalServer;

/// <summary>Values written into postgresql.conf.</summary>
internal static class PostgresConf
{
    /// <summary>
    /// A quoted postgresql.conf string that reads back as exactly <paramref name="value"/>: quotes
    /// doubled, backslashes and line breaks escaped (the file's parser reads <c>\\</c>, <c>\n</c> and
    /// <c>\r</c>), so no value can end the string or start a setting of its own.
    /// </summary>
    public static string Literal(string value)
    {
        var quoted = new StringBuilder("'", value.Length + 2);
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '\'' => "''",
                '\\' => @"\\",
                '\n' => @"\n",
                '\r' => @"\r",
                _ => c.ToString(),
            });
        }
        return quoted.Append('\'').ToString();
    }

    /// <summary>
    /// One element of a list setting such as <c>unix_socket_directories</c>, double-quoted (quotes doubled) so that a comma or a
    /// space in <paramref name="value"/> stays part of it; pass the result to <see cref="Literal"/>.
    /// </summary>
    public static string ListElement(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

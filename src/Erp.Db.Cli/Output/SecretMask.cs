using System.Text.RegularExpressions;

namespace Erp.Db.Cli.Output;

/// <summary>
/// Passwords hidden in text that echoes what the user typed: a parse error quotes the words it could not place, and a connection
/// string given with a typo in its option name (<c>--conection "...;Password=..."</c>) or after an option that lacked its value
/// is such a word. Hides the values of Npgsql's and libpq's password keywords and a URI's password.
/// </summary>
internal static partial class SecretMask
{
    /// <summary><paramref name="text"/> with each password shown as <c>***</c>.</summary>
    public static string Apply(string text) => UriPassword().Replace(KeywordPassword().Replace(text, "$1=***"), "$1***@");

    /// <summary>Password=, SSL Password=, Pwd= (Npgsql) or password=, sslpassword= (libpq), the value quoted or up to ; or a space.</summary>
    [GeneratedRegex("""\b((?:ssl\s?)?password|pwd)\s*=\s*('(?:[^'\\]|\\.)*'|"[^"]*"|[^;\s']*)""", RegexOptions.IgnoreCase)]
    private static partial Regex KeywordPassword();

    /// <summary>postgresql://user:password@host: the part between the user's colon and the @.</summary>
    [GeneratedRegex(@"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UriPassword();
}

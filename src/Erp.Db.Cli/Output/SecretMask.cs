using System.Text.RegularExpressions;

namespace Erp.Db.Cli.Output;

/// <summary>
/// Passwords hidden in text that echoes what the user typed: a parse error quotes the words it could not place, and a connection
/// string given with a typo in its option name (<c>--conection "...;Password=..."</c>), after an option that lacked its value, or
/// as an option's value (<c>--merchant "Host=...;Password=..."</c>, quoted back as an unknown merchant) is such a word. Every
/// error erpdb prints goes through it (<see cref="CommandOutput.Failure"/>). Hides the values of Npgsql's and libpq's password
/// keywords and a URI's password.
/// </summary>
internal static partial class SecretMask
{
    /// <summary><paramref name="text"/> with each password shown as <c>***</c>.</summary>
    public static string Apply(string text) => UriPassword().Replace(KeywordPassword().Replace(text, "$1=***"), "$1***@");

    /// <summary>
    /// Password=, SSL Password=, Pwd=, Psw= (Npgsql) or password=, sslpassword= (libpq), also at the end of a longer name
    /// (PGPASSWORD=, DbPassword=), the value quoted or up to the next ; or line break (an Npgsql value may hold spaces: a libpq
    /// string's keywords after the password are hidden with it, which costs nothing).
    /// </summary>
    [GeneratedRegex("""((?:ssl\s?)?password|(?<![a-z])pwd|(?<![a-z])psw)\s*=\s*('(?:[^'\\]|\\.)*'|"[^"]*"|[^;\r\n]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex KeywordPassword();

    /// <summary>postgresql://user:password@host: the part between the user's colon and the @.</summary>
    [GeneratedRegex(@"(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UriPassword();
}

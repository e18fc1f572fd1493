using System.Text;
using Erp.Db.Cli.Output;
using Npgsql;

namespace Erp.Db.Cli.Connection;

/// <summary>
/// Reads the two forms of connection string psql and libpq take, which Npgsql does not: a URI
/// (<c>postgresql://user:secret@db:5432/erp?sslmode=require</c>, what CI services and DATABASE_URL give) and
/// keyword=value pairs separated by spaces (<c>host=db port=5432 dbname=erp user=app</c>). Npgsql read the latter as
/// one host named "db port=5432 ... password=...", and erpdb's "cannot reach" message then printed that host,
/// password included. Messages name keywords, never values.
/// </summary>
internal static class LibpqConnectionString
{
    /// <summary>libpq's keywords erpdb understands, with Npgsql's name for each.</summary>
    private static readonly Dictionary<string, string> Keywords = new(StringComparer.Ordinal)
    {
        ["host"] = "Host",
        ["hostaddr"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
        ["user"] = "Username",
        ["password"] = "Password",
        ["passfile"] = "Passfile",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["options"] = "Options",
        ["client_encoding"] = "Client Encoding",
        ["sslmode"] = "SSL Mode",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["sslrootcert"] = "Root Certificate",
        ["target_session_attrs"] = "Target Session Attributes",
    };

    private static readonly Dictionary<string, string> SslModes = new(StringComparer.Ordinal)
    {
        ["disable"] = "Disable",
        ["allow"] = "Allow",
        ["prefer"] = "Prefer",
        ["require"] = "Require",
        ["verify-ca"] = "VerifyCA",
        ["verify-full"] = "VerifyFull",
    };

    /// <summary>
    /// The Npgsql form of <paramref name="text"/> when it is a libpq URI or keyword=value string, else null (an Npgsql
    /// string, "Host=db;Database=erp", passes as it is).
    /// </summary>
    /// <exception cref="CliException">A URI or keyword=value string with a keyword erpdb does not know, or a malformed one.</exception>
    public static string? ToNpgsql(string text, string source)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return Build(FromUri(trimmed[(trimmed.IndexOf("://", StringComparison.Ordinal) + 3)..], source), source);
        }
        if (trimmed.Contains(';', StringComparison.Ordinal) || !trimmed.Contains('=', StringComparison.Ordinal))
        {
            return null;
        }
        var pairs = FromKeywords(trimmed, source);
        // One pair whose keyword libpq lacks ("Database=erp") is Npgsql's form with a single keyword.
        return pairs.Count == 1 && !Keywords.ContainsKey(pairs[0].Key) ? null : Build(pairs, source);
    }

    private static string Build(List<KeyValuePair<string, string>> pairs, string source)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (!Keywords.TryGetValue(key, out var name))
            {
                throw Malformed(source, $"'{key}' is not a connection keyword erpdb knows (known: {string.Join(", ", Keywords.Keys)}).");
            }
            if (key == "hostaddr" && pairs.Any(p => p.Key == "host"))
            {
                continue;
            }
            var converted = key == "sslmode"
                ? SslModes.GetValueOrDefault(value) ?? throw Malformed(source, $"sslmode must be one of {string.Join(", ", SslModes.Keys)}.")
                : value;
            try
            {
                builder[name] = converted;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw Malformed(source, $"the value of '{key}' is not valid.");
            }
        }
        return builder.ConnectionString;
    }

    /// <summary>libpq's keyword=value pairs: spaces around '=' allowed, values in single quotes with \' and \\ escapes.</summary>
    private static List<KeyValuePair<string, string>> FromKeywords(string text, string source)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (i == text.Length)
            {
                return pairs;
            }
            var keyStart = i;
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            var key = text[keyStart..i].ToLowerInvariant();
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (key.Length == 0 || i == text.Length || text[i] != '=')
            {
                throw Malformed(source, $"expected keyword=value{(key.Length > 0 ? $" after '{key}'" : "")}.");
            }
            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '\'')
            {
                i++;
                while (i < text.Length && text[i] != '\'')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }
                    value.Append(text[i++]);
                }
                if (i == text.Length)
                {
                    throw Malformed(source, $"the quoted value of '{key}' has no closing quote.");
                }
                i++;
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }
                    value.Append(text[i++]);
                }
            }
            pairs.Add(new(key, value.ToString()));
        }
    }

    /// <summary>The part of a URI after "postgresql://": [user[:password]@][host][:port][,host[:port]...][/dbname][?keyword=value&amp;...].</summary>
    private static List<KeyValuePair<string, string>> FromUri(string rest, string source)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var queryAt = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryAt < 0 ? "" : rest[(queryAt + 1)..];
        rest = queryAt < 0 ? rest : rest[..queryAt];
        var pathAt = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = pathAt < 0 ? rest : rest[..pathAt];
        if (pathAt >= 0 && rest.Length > pathAt + 1)
        {
            pairs.Add(new("dbname", Decode(rest[(pathAt + 1)..], source)));
        }
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            pairs.Add(new("user", Decode(colon < 0 ? userInfo : userInfo[..colon], source)));
            if (colon >= 0)
            {
                pairs.Add(new("password", Decode(userInfo[(colon + 1)..], source)));
            }
            authority = authority[(at + 1)..];
        }
        if (authority.Length > 0)
        {
            var hosts = authority.Split(',');
            if (hosts.Length == 1 && SplitPort(hosts[0]) is (var host, { } port))
            {
                pairs.Add(new("host", Decode(host, source)));
                pairs.Add(new("port", port));
            }
            else
            {
                pairs.Add(new("host", string.Join(',', hosts.Select(h => Decode(h, source)))));
            }
        }
        foreach (var parameter in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = parameter.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw Malformed(source, "a URI parameter must be keyword=value.");
            }
            pairs.Add(new(Decode(parameter[..eq], source).ToLowerInvariant(), Decode(parameter[(eq + 1)..], source)));
        }
        return pairs;
    }

    /// <summary>host:port into its parts ([::1]:5432 too); the port null when none is given.</summary>
    private static (string Host, string? Port) SplitPort(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        return colon < 0 || hostPort.LastIndexOf(']') > colon ? (hostPort.Trim('[', ']'), null) : (hostPort[..colon].Trim('[', ']'), hostPort[(colon + 1)..]);
    }

    private static string Decode(string text, string source)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            throw Malformed(source, "it holds an invalid %-escape.");
        }
    }

    /// <summary>The forms erpdb reads, for every message about a malformed connection string.</summary>
    public const string Forms =
        "Use 'Host=...;Port=5432;Database=...;Username=...' (its Password too, or a password file), libpq's 'host=... port=5432 dbname=... user=...' or 'postgresql://user@host:5432/dbname'.";

    private static CliException Malformed(string source, string reason) =>
        CliException.Validation($"The connection string from {source} is malformed: {reason} {Forms}");
}

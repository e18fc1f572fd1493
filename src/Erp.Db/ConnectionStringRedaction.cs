using Npgsql;

namespace Erp.Db;

/// <summary>Connection strings made safe to print: passwords replaced, everything else kept.</summary>
internal static class ConnectionStringRedaction
{
    /// <summary>The connection string with Password and SSL Password shown as <c>***</c>.</summary>
    public static string? Redact(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return connectionString;
        }
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (builder.Password is not null)
            {
                builder.Password = "***";
            }
            if (builder.SslPassword is not null)
            {
                builder.SslPassword = "***";
            }
            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(malformed connection string, hidden)";
        }
    }
}

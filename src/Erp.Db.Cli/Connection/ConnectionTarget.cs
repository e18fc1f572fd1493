using System.Text;
using Npgsql;

namespace Erp.Db.Cli.Connection;

/// <summary>The database erpdb talks to, and where that choice came from. <see cref="object.ToString"/> hides the password.</summary>
/// <param name="ConnectionString">Password included: never print it; print <see cref="Display"/>.</param>
/// <param name="Source">--connection, ERPDB_CONNECTION, PG* variables, a config file, or the local server.</param>
internal sealed record ConnectionTarget(string ConnectionString, string Source)
{
    /// <summary>Host, port, database and user, without the password.</summary>
    public string Display
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            // A host with spaces or '=' is a string Npgsql misread (libpq pairs glued into Host): it may hold the password.
            var host = builder.Host is { } name && name.Any(c => char.IsWhiteSpace(c) || c == '=') ? "(unreadable host)" : builder.Host;
            return $"{builder.Username ?? "(default user)"}@{host}:{builder.Port}/{builder.Database}";
        }
    }

    public string Database => new NpgsqlConnectionStringBuilder(ConnectionString).Database ?? "";

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Display = {Display}, Source = {Source}");
        return true;
    }
}

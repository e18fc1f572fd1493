using Dapper;
using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>What migrate tells a DBA about the login it ran as, once the scripts are applied.</summary>
internal static class LoginNotices
{
    /// <summary>
    /// A login that is not a superuser but has CREATEROLE, on PostgreSQL 15 or earlier: there CREATEROLE may grant membership in
    /// any role but a superuser, pg_execute_server_program included, so the login can make itself able to run programs as the
    /// server's operating system user. Migration 0002 needs it once; later runs do not.
    /// </summary>
    private const string CreateRoleBeforePostgres16 = """
        SELECT r.rolcreaterole AND NOT r.rolsuper AND pg_catalog.current_setting('server_version_num')::integer < 160000
        FROM pg_catalog.pg_roles AS r WHERE r.rolname = session_user
        """;

    public static async Task<IReadOnlyList<string>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var login = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT session_user::text", cancellationToken: cancellationToken));
        return await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(CreateRoleBeforePostgres16, cancellationToken: cancellationToken)) == true
            ? [$"The login {login} has CREATEROLE, which before PostgreSQL 16 lets it grant itself any role but superuser, "
                + "pg_execute_server_program (programs run as the server's operating system user) and pg_read_server_files included: "
                + "it is as good as a superuser. Migrate needs it only for the first run in a database (migration 0002); "
                + $"a superuser may now run: ALTER ROLE \"{login!.Replace("\"", "\"\"", StringComparison.Ordinal)}\" NOCREATEROLE;"]
            : [];
    }
}

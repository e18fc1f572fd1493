using Dapper;
using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// Who holds the migrate lock, read from pg_locks and pg_stat_activity, and whether each holder may
/// migrate itself. Plain SQL sent from here, not a function in sql/functions (such as
/// ops.advisory_lock_holders): migrate reads it before it has applied anything, on a brand-new
/// empty database where no erpdb function exists yet.
/// </summary>
internal static class MigrationLockHolders
{
    /// <summary>
    /// A holder may migrate when its login is a superuser, is this session's login, or is a member of
    /// the role that owns the database or of a role that owns a warehouse schema (erp_owner, once
    /// migrated). Anyone else (a reader, an ingesting app) only ever took the key by mistake or on
    /// purpose, and would be waited for without end. usesysid is shown to every login.
    /// A pid in pg_locks missing from pg_stat_activity has just ended (listed = false): look again.
    /// </summary>
    private const string Sql = """
        SELECT l.pid AS ProcessId, a.usename::text AS Login, a.state AS State, (a.pid IS NOT NULL) AS Listed,
               coalesce(r.rolsuper
                        OR a.usesysid = (SELECT s.oid FROM pg_catalog.pg_roles AS s WHERE s.rolname = session_user)
                        OR pg_catalog.pg_has_role(a.usesysid, d.datdba, 'MEMBER')
                        OR EXISTS (SELECT 1 FROM pg_catalog.pg_namespace AS n
                                   WHERE n.nspname IN ('staging', 'dw', 'mart', 'ops')
                                     AND pg_catalog.pg_has_role(a.usesysid, n.nspowner, 'MEMBER')), false) AS MayMigrate
        FROM pg_catalog.pg_locks AS l
        JOIN pg_catalog.pg_database AS d ON d.oid = l.database AND d.datname = pg_catalog.current_database()
        LEFT JOIN pg_catalog.pg_stat_activity AS a ON a.pid = l.pid
        LEFT JOIN pg_catalog.pg_roles AS r ON r.oid = a.usesysid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.classid = ((@key >> 32) & 4294967295)::bigint::oid
          AND l.objid = (@key & 4294967295)::oid
          AND l.pid IS DISTINCT FROM pg_catalog.pg_backend_pid()
        ORDER BY l.pid
        """;

    /// <summary>The holders of the session-level advisory lock <paramref name="key"/> in this database, other than this session.</summary>
    public static async Task<IReadOnlyList<Holder>> ReadAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<Holder>(new CommandDefinition(Sql, new { key }, cancellationToken: cancellationToken))];

    /// <summary>One holder; <see cref="ProcessId"/> is null for a prepared transaction.</summary>
    internal sealed record Holder(int? ProcessId, string? Login, string? State, bool Listed, bool MayMigrate)
    {
        public MigrationLockHolder ToPublic() => new(ProcessId, Login, State);
    }
}

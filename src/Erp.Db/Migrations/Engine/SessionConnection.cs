using System.Data;
using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// The migrate session's connection as DbUp sees it: every DbUp run of one migrate uses this one
/// session, the one holding the advisory lock, and DbUp's dispose at the end of a run leaves it open.
/// </summary>
internal sealed class SessionConnection(NpgsqlConnection connection) : IDbConnection
{
    [AllowNull]
    public string ConnectionString
    {
        get => connection.ConnectionString;
        set => throw new NotSupportedException("The migrate session's connection string is fixed.");
    }

    public int ConnectionTimeout => connection.ConnectionTimeout;

    public string Database => connection.Database;

    public ConnectionState State => connection.State;

    public IDbTransaction BeginTransaction() => connection.BeginTransaction();

    public IDbTransaction BeginTransaction(IsolationLevel il) => connection.BeginTransaction(il);

    public void ChangeDatabase(string databaseName) => throw new NotSupportedException("The migrate session stays on its database.");

    public void Close()
    {
        // The session outlives each DbUp run: MigrationLock closes it.
    }

    public IDbCommand CreateCommand() => connection.CreateCommand();

    public void Open()
    {
        // Opened by MigrationLock before the lock is taken.
    }

    public void Dispose()
    {
        // Disposed by MigrationLock after the lock is released.
    }
}

using System.Security.Cryptography;
using Npgsql;

namespace Erp.Db.Tests.Infrastructure;

/// <summary>A real login role, member of one of the warehouse's group roles, dropped when the test ends.</summary>
public sealed class TestLogin : IAsyncDisposable
{
    private readonly TestDatabase database;

    private TestLogin(TestDatabase database, string name, string password)
    {
        this.database = database;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Username = name,
            Password = password,
            Pooling = false,
        }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    /// <summary>Connection string that logs in as this role (password included).</summary>
    public string ConnectionString { get; }

    /// <summary>Connections that log in as this role.</summary>
    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestLogin> CreateAsync(TestDatabase database, string groupRole)
    {
        var name = $"t_login_{Guid.NewGuid():N}"[..20];
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await database.ExecuteAsync($"CREATE ROLE {name} LOGIN PASSWORD '{password}' IN ROLE {groupRole}");
        return new TestLogin(database, name, password);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    /// <summary>Runs statements in one transaction and returns the last one's scalar.</summary>
    public async Task<T?> InTransactionAsync<T>(params string[] statements)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        object? value = null;
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            value = await command.ExecuteScalarAsync();
        }
        await transaction.CommitAsync();
        return value is DBNull or null ? default : (T)value;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await database.ExecuteAsync($"DROP OWNED BY {Name}; DROP ROLE {Name}");
    }
}

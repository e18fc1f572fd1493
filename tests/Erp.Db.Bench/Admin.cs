using Npgsql;

namespace Erp.Db.Bench;

/// <summary>Runs the harness's own setup and maintenance statements, which may take minutes at full size: no command timeout.</summary>
internal static class Admin
{
    public static async Task<object?> ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}

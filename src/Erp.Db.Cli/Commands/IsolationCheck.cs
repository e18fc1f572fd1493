using Npgsql;

namespace Erp.Db.Cli.Commands;

/// <summary>Runs <c>ops.merchant_isolation_problems()</c>: what would let a scoped reader see another merchant's rows.</summary>
internal static class IsolationCheck
{
    /// <summary>The script that defines the check, in the catalog migrate applies.</summary>
    public const string Script = "functions/ops.merchant_isolation_problems.sql";

    public sealed record Problem(string ObjectName, string ObjectKind, string Description);

    public static async Task<IReadOnlyList<Problem>> RunAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT object_name, object_kind, problem FROM ops.merchant_isolation_problems()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var problems = new List<Problem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            problems.Add(new Problem(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        return problems;
    }
}

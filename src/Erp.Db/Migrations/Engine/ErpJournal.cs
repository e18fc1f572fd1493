using System.Data;
using DbUp.Engine;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// DbUp journal that writes <c>ops.schema_journal</c> with each script's kind, SHA-256, duration,
/// the erpdb version and the values of the variables it used, in the script's own transaction. Which scripts run is decided by <see cref="MigrationPlanner"/>,
/// so DbUp is told that nothing has run yet.
/// </summary>
internal sealed class ErpJournal(IReadOnlyDictionary<string, MigrationScript> scripts, IReadOnlyDictionary<string, string> variables, ScriptTimer timer) : IJournal
{
    public string[] GetExecutedScripts() => [];

    public void EnsureTableExistsAndIsLatestVersion(Func<IDbCommand> dbCommandFactory)
    {
        // ops.schema_journal is created by migrations/0001_schemas.sql, the first script ever run.
    }

    public void StoreExecutedScript(SqlScript script, Func<IDbCommand> dbCommandFactory)
    {
        if (!scripts.TryGetValue(script.Name, out var source))
        {
            return; // the runner's own SQL (sql/runner/), not a journaled script
        }
        using (var ensure = dbCommandFactory())
        {
            ensure.CommandText = JournalSql.EnsureColumns;
            ensure.ExecuteNonQuery();
        }
        using var command = dbCommandFactory();
        command.CommandText = JournalSql.Insert;
        AddParameter(command, "name", source.Name);
        AddParameter(command, "kind", JournalSql.KindName(source.Kind));
        AddParameter(command, "sha256", source.Sha256);
        AddParameter(command, "duration_ms", timer.ElapsedMilliseconds);
        AddParameter(command, "erpdb_version", ToolVersion.Current);
        AddParameter(command, "statements_applied", DBNull.Value);
        AddParameter(command, "variables", (object?)ScriptStatements.UsedJson(source.Contents, variables) ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    private static void AddParameter(IDbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

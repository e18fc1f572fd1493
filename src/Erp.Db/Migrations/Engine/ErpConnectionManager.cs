using DbUp.Postgresql;
using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// DbUp's PostgreSQL connection manager over the shared data source, with a splitter that knows
/// dollar quoting and <c>BEGIN ATOMIC</c> bodies, and the switch to erp_owner before each script.
/// </summary>
internal sealed class ErpConnectionManager(NpgsqlDataSource dataSource) : PostgresqlConnectionManager(dataSource)
{
    /// <summary>Commands of a script: <see cref="JournalSql.RunAsOwner"/>, then its statements.</summary>
    public override IEnumerable<string> SplitScriptIntoCommands(string scriptContents) =>
        [JournalSql.RunAsOwner, .. SqlStatementSplitter.Split(scriptContents).Select(s => s.Text)];
}

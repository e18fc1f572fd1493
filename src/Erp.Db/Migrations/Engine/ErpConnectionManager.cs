using DbUp.Engine.Transactions;
using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// DbUp's connection manager over the migrate session (the connection that holds the advisory
/// lock, <see cref="MigrationLock"/>), with a splitter that knows dollar quoting and
/// <c>BEGIN ATOMIC</c> bodies, and the reset and role switch before each script.
/// </summary>
internal sealed class ErpConnectionManager(NpgsqlConnection session)
    : DatabaseConnectionManager(_ => new SessionConnection(session))
{
    /// <summary>Commands of a script: <see cref="JournalSql.BeforeScript"/>, then its statements.</summary>
    public override IEnumerable<string> SplitScriptIntoCommands(string scriptContents) =>
        [JournalSql.BeforeScript(MigrationScript.RunsAsLoginText(scriptContents)), .. SqlStatementSplitter.Split(scriptContents).Select(s => s.Text)];
}

using System.Data;
using Dapper;
using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;
using DbUp.Postgresql;
using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// DbUp's PostgreSQL executor with Erp.Db's variables (only declared <c>$name$</c> tokens are
/// replaced, so <c>$tag$</c> dollar quotes pass through), errors that name the file and line and,
/// for a no-transaction script, how many statements stay applied, and resuming such a script after
/// the statements an earlier run applied. A no-transaction script journals its progress after each
/// statement commits, so a run killed mid-script (kill -9) resumes after the last committed one.
/// </summary>
internal sealed class ErpScriptExecutor(
    Func<IConnectionManager> connectionManager,
    Func<IUpgradeLog> log,
    Func<IJournal> journal,
    IReadOnlyDictionary<string, string> variables,
    IReadOnlyDictionary<string, int> resumeAfter,
    bool withoutTransaction,
    ScriptTimer timer)
    : PostgresqlScriptExecutor(connectionManager, log, null, () => false, [], journal)
{
    private SqlScript? running;
    private int statement;
    private int statementCount;
    private bool journalColumnsEnsured;

    protected override string PreprocessScriptContents(SqlScript script, IDictionary<string, string> _) =>
        ScriptStatements.Preprocess(script.Contents, variables);

    /// <summary>
    /// Sends each statement as a one-command batch: Npgsql does not re-split batch commands, so
    /// <c>BEGIN ATOMIC</c> bodies that <see cref="SqlStatementSplitter"/> kept whole stay whole.
    /// </summary>
    protected override void ExecuteNonQuery(IDbCommand command)
    {
        var npgsqlCommand = (NpgsqlCommand)command;
        using var batch = new NpgsqlBatch(npgsqlCommand.Connection, npgsqlCommand.Transaction)
        {
            BatchCommands = { new NpgsqlBatchCommand(command.CommandText) },
            Timeout = command.CommandTimeout,
        };
        batch.ExecuteNonQuery();
        // The last statement needs no progress row: the script's own journal row follows at once.
        if (withoutTransaction && statement > 0 && running is not null && statement < statementCount)
        {
            JournalProgress(npgsqlCommand.Connection!, running, statement);
        }
    }

    /// <summary>Journals that the first <paramref name="applied"/> statements of a no-transaction script are committed.</summary>
    private void JournalProgress(NpgsqlConnection connection, SqlScript script, int applied)
    {
        var kind = MigrationPlanner.KindOf(script.Name);
        if (!journalColumnsEnsured)
        {
            connection.Execute(JournalSql.EnsureColumns);
            journalColumnsEnsured = true;
        }
        connection.Execute(JournalSql.Progress, new
        {
            name = script.Name,
            kind = JournalSql.KindName(kind),
            sha256 = ScriptStatements.PrefixSha256(new MigrationScript(script.Name, kind, script.Contents), variables, applied),
            duration_ms = 0m,
            erpdb_version = ToolVersion.Current,
            statements_applied = applied,
        });
    }

    protected override void ExecuteCommandsWithinExceptionHandler(int index, SqlScript script, Action executeCommand)
    {
        // Command 0 is JournalSql.BeforeScript; statement n of the script is command n.
        if (index == 0)
        {
            timer.Start();
        }
        else if (index <= resumeAfter.GetValueOrDefault(script.Name))
        {
            return; // applied and committed by an earlier run of this no-transaction script
        }
        if (!ReferenceEquals(running, script))
        {
            running = script;
            statementCount = SqlStatementSplitter.Split(PreprocessScriptContents(script, variables.ToDictionary())).Count;
        }
        statement = index;
        try
        {
            executeCommand();
        }
        catch (PostgresException e)
        {
            var statements = SqlStatementSplitter.Split(PreprocessScriptContents(script, variables.ToDictionary()));
            int? line = index >= 1 && index <= statements.Count
                ? statements[index - 1].LineOf(e.Position)
                : null;
            var message = e.MessageText + (e.Detail is null ? "" : $" ({e.Detail})") + (e.Where is null ? "" : $" [{e.Where}]");
            var applied = withoutTransaction ? Math.Max(index - 1, 0) : 0;
            throw new MigrationScriptException(script.Name, line, e.SqlState, message, e, applied, statements.Count)
            {
                Statement = index >= 1 && index <= statements.Count ? statements[index - 1].Text : null,
            };
        }
    }
}

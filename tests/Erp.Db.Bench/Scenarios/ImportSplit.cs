namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// Where one <c>erpdb import</c> spent its time, from the statements its batch ran: reading the file and the binary COPY into the
/// batch's temp table (the COPY, which lasts as long as the file is read), the checks (statistics,
/// natural keys, the checks query), the move step, the upsert (the plain INSERT of new keys and the upsert of stored ones), the
/// posting (everything after the upsert) and the rest
/// (start-up, connection, commit).
/// </summary>
internal sealed record ImportSplit(TimeSpan ReadAndCopy, IReadOnlyList<(string Step, TimeSpan Time)> Steps)
{
    /// <summary>The split of <paramref name="total"/>, or null when the batch's statements are not found.</summary>
    public static ImportSplit? Of(IReadOnlyList<StatementTimer.Statement> statements, TimeSpan total)
    {
        var copy = Find(statements, s => s.Sql.StartsWith("COPY pg_temp.ingest_rows", StringComparison.Ordinal), 0);
        var move = Find(statements, s => s.Sql.Contains("CREATE TEMP TABLE ingest_moved", StringComparison.Ordinal), copy + 1);
        var upsert = Find(statements, IsUpsert, copy + 1);
        if (copy < 0 || upsert < 0)
        {
            return null;
        }
        // The upsert of stored keys follows the plain INSERT of new ones at once, when there is one. (The timer hears every
        // command of the process, other tests' included: look no further.)
        var stored = Find(statements, s => s.Sql.Contains("WITH upserted AS", StringComparison.Ordinal), upsert + 1);
        var lastUpsert = stored > upsert && stored <= upsert + 2 ? stored : upsert;
        var readAndCopy = statements[copy].Duration;
        var checks = Sum(statements, copy + 1, move >= 0 ? move : upsert);
        var moved = move >= 0 ? Sum(statements, move, upsert) : TimeSpan.Zero;
        var upserted = Sum(statements, upsert, lastUpsert + 1);
        var post = Sum(statements, lastUpsert + 1, statements.Count);
        var rest = total - readAndCopy - checks - moved - upserted - post;
        return new ImportSplit(readAndCopy,
            [("read_copy", readAndCopy), ("checks", checks), ("move", moved), ("upsert", upserted), ("post", post), ("rest", rest)]);
    }

    private static bool IsUpsert(StatementTimer.Statement statement) =>
        statement.Sql.Contains("WITH upserted AS", StringComparison.Ordinal) || statement.Sql.StartsWith("INSERT INTO dw.", StringComparison.Ordinal);

    private static int Find(IReadOnlyList<StatementTimer.Statement> statements, Func<StatementTimer.Statement, bool> match, int from)
    {
        for (var i = Math.Max(from, 0); i < statements.Count; i++)
        {
            if (match(statements[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private static TimeSpan Sum(IReadOnlyList<StatementTimer.Statement> statements, int from, int to)
    {
        var sum = TimeSpan.Zero;
        for (var i = from; i < to; i++)
        {
            sum += statements[i].Duration;
        }
        return sum;
    }
}

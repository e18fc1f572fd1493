using Npgsql;

namespace Erp.Db.Ingest.Engine;

/// <summary>
/// A yes-or-no question about stored rows that no bound on the batch's days can prune (the move step's: is an order of the batch
/// stored under another date?), asked for a small batch of its keys instead of its temp table, by a statement prepared on the
/// connection with a generic plan. Over the temp table, which each batch creates anew, the question is planned again each time,
/// over every monthly partition of the table it reads: 11-28 ms of planning at rest for one order, a third of a one-order call.
/// Over the keys as parameters it reads no temp table, so its plan, made once per connection, stays valid from batch to batch
/// (Npgsql keeps a pooled connection's prepared statements, and resets it without DISCARD ALL while it holds one) and is run in
/// under a millisecond: a probe of each partition's index per key, no more than the hash join does for a handful of rows.
/// The generic plan is asked for around the question alone (<c>plan_cache_mode</c>, in the batch's transaction): PostgreSQL would
/// otherwise plan it again for each call's values, and every other statement of the batch keeps being planned for its values.
/// A larger batch asks the question of its temp table, by one hash join (<see cref="MaxRows"/>).
/// </summary>
internal static class KeyedQuestion
{
    /// <summary>
    /// The most rows a batch asks of its keys: the generic plan probes every partition once per key (about 90 index probes a key,
    /// a few microseconds each), which for more rows costs more than planning the hash join over the temp table.
    /// </summary>
    public const int MaxRows = 16;

    private const string Generic = "SET LOCAL plan_cache_mode = force_generic_plan";

    private const string Default = "SET LOCAL plan_cache_mode = DEFAULT";

    /// <summary>
    /// The rows <c>t</c> of the keys the <see cref="KeysQuery"/> read, as a FROM item over the parameters $1..$n (one array per key
    /// field, of <paramref name="types"/>).
    /// </summary>
    public static string Rows(IReadOnlyList<string> keys, IReadOnlyList<string> types) =>
        $"unnest({string.Join(", ", types.Select((type, i) => $"${i + 1}::{type}[]"))}) AS t ({string.Join(", ", keys)})";

    /// <summary>
    /// One row of the temp table's keys, an array per key field; rows with a NULL key are left out (no equality on a key can
    /// find them). NULL arrays when no row is left.
    /// </summary>
    public static string KeysQuery(IReadOnlyList<string> keys) =>
        $"SELECT {string.Join(", ", keys.Select(k => $"array_agg(t.{k} ORDER BY t.row_no)"))} FROM {IngestPlan<object>.TempTable} AS t "
        + $"WHERE {string.Join(" AND ", keys.Select(k => $"t.{k} IS NOT NULL"))}";

    /// <summary>Reads the batch's keys (<paramref name="keysQuery"/>), then asks <paramref name="question"/> (one boolean) of them.</summary>
    public static async Task<bool> AskAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string keysQuery, string question,
        IReadOnlyList<string> types, CancellationToken cancellationToken)
    {
        var keys = new object[types.Count];
        await using (var read = new NpgsqlCommand(keysQuery, connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = reader.GetValue(i);
            }
        }
        if (keys[0] is DBNull)
        {
            return false;
        }
        var ask = new NpgsqlBatchCommand(question);
        for (var i = 0; i < keys.Length; i++)
        {
            ask.Parameters.Add(new NpgsqlParameter { Value = keys[i], DataTypeName = types[i] + "[]" });
        }
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands = { new NpgsqlBatchCommand(Generic), ask, new NpgsqlBatchCommand(Default) },
        };
        await batch.PrepareAsync(cancellationToken);
        await using var answer = await batch.ExecuteReaderAsync(cancellationToken);
        while (answer.FieldCount == 0 && await answer.NextResultAsync(cancellationToken))
        {
        }
        await answer.ReadAsync(cancellationToken);
        var yes = answer.GetBoolean(0);
        while (await answer.NextResultAsync(cancellationToken))
        {
        }
        return yes;
    }
}

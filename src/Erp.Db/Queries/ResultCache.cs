namespace Erp.Db.Queries;

/// <summary>
/// The result cache of one <see cref="WarehouseQueries"/> (one <see cref="ErpDatabase"/>): the last
/// result of each (merchant, query and its parameters), with the version it was read at (the login,
/// the dates and the refresh epochs of the views it read; docs/result-cache.md). A result is served
/// only when the database reports the same version again, in the statement that also sets the
/// transaction's merchant scope: a refresh, a new day or another login makes the entry a miss, and
/// the miss replaces it. Bounded by rows (each entry weighs 1 + its rows), least recently used out
/// first; thread safe (one lock around a dictionary and a list, held for no I/O).
/// </summary>
internal sealed class ResultCache
{
    private readonly object gate = new();
    private readonly Dictionary<Key, LinkedListNode<Entry>> entries = [];
    private readonly LinkedList<Entry> recency = new();
    private long weight;
    private long hits;
    private long misses;

    public ResultCache(int capacityRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityRows);
        CapacityRows = capacityRows;
    }

    /// <summary>The bound: the sum of the entries' weights (1 + rows each).</summary>
    public int CapacityRows { get; }

    /// <summary>Calls answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref hits);

    /// <summary>Calls of cacheable queries that ran the query.</summary>
    public long Misses => Interlocked.Read(ref misses);

    /// <summary>How many results are held.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>The sum of the held entries' weights.</summary>
    public long Weight
    {
        get
        {
            lock (gate)
            {
                return weight;
            }
        }
    }

    /// <summary>Whether a result is held for the key, whatever its version (then it is worth asking the database for the version first).</summary>
    public bool Holds(Key key)
    {
        lock (gate)
        {
            return entries.ContainsKey(key);
        }
    }

    /// <summary>The result held for the key when it was read by the same login at the same version.</summary>
    public bool TryGet(Key key, string version, out object? value)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out var node) && string.Equals(node.Value.Version, version, StringComparison.Ordinal))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                value = node.Value.Value;
                Interlocked.Increment(ref hits);
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <summary>Counts a call that ran the query.</summary>
    public void CountMiss() => Interlocked.Increment(ref misses);

    /// <summary>
    /// Holds <paramref name="value"/> for the key at <paramref name="version"/>, replacing what was held; a result
    /// heavier than a quarter of the bound is not held (it would push out many others).
    /// </summary>
    public void Set(Key key, string version, object value, int rows)
    {
        var entryWeight = 1L + Math.Max(0, rows);
        lock (gate)
        {
            if (entries.Remove(key, out var old))
            {
                recency.Remove(old);
                weight -= old.Value.Weight;
            }
            if (entryWeight * 4 > CapacityRows)
            {
                return;
            }
            var node = recency.AddFirst(new Entry(key, version, value, entryWeight));
            entries[key] = node;
            weight += entryWeight;
            while (weight > CapacityRows && recency.Last is { } last)
            {
                recency.RemoveLast();
                entries.Remove(last.Value.Key);
                weight -= last.Value.Weight;
            }
        }
    }

    /// <summary>
    /// What a result is held under: the merchant asked for and the query (its kind and every value that shapes
    /// the result). The login and the scope the database resolved are checked through the version.
    /// </summary>
    public readonly record struct Key(long Merchant, string Query);

    private sealed record Entry(Key Key, string Version, object Value, long Weight);
}

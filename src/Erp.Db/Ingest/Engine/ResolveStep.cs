namespace Erp.Db.Ingest.Engine;

/// <summary>
/// A statement run on the temp table after the COPY, before the checks (<see cref="EntityDefinition{TRow}.Resolve"/>). One with
/// <see cref="OnlyWhenGiven"/> can change nothing unless some row gives that field (an id from its code): a batch in which no row
/// does leaves it out, sparing a scan of the batch (7-13 ms per 200,000 orders for each code).
/// </summary>
internal sealed record ResolveStep(string Sql)
{
    /// <summary>The input field without which the statement changes nothing, or null when it always runs.</summary>
    public string? OnlyWhenGiven { get; init; }

    /// <summary>
    /// The statement for a batch of <see cref="FewRows"/> rows at most, when it differs: the same values without the helper table a
    /// large batch pays for (created, indexed, analysed, joined), which costs a small one more than the rows' own look-ups.
    /// </summary>
    public string? Few { get; init; }

    /// <summary>
    /// The most rows a batch runs a step's <see cref="Few"/> form for: a helper table per key (the currency fill's, the lines'
    /// costs) pays for its statements (1.5-3 ms of a one-order call) only by what it saves per row on a large batch.
    /// </summary>
    public const int FewRows = 100;

    /// <summary>A statement every batch runs.</summary>
    public static implicit operator ResolveStep(string sql) => new(sql);

    /// <summary>
    /// The <paramref name="steps"/> a batch of <paramref name="rows"/> that gives the fields <paramref name="given"/> needs, as one
    /// command (one round trip: the statements run in order, and the first to fail stops the rest, as one by one); empty when none is.
    /// </summary>
    public static string Command(IEnumerable<ResolveStep> steps, IReadOnlySet<string> given, long rows) =>
        string.Join(";\n", steps.Where(s => s.OnlyWhenGiven is not { } field || given.Contains(field))
            .Select(s => (rows <= FewRows && s.Few is { } few ? few : s.Sql).TrimEnd().TrimEnd(';')));
}

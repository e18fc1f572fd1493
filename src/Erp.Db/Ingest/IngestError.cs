namespace Erp.Db.Ingest;

/// <summary>One bad row of a rejected batch.</summary>
/// <param name="RowNumber">1-based position of the row in the input.</param>
/// <param name="Field">The input field at fault (several separated by ", "), or null when unknown.</param>
/// <param name="Constraint">The database constraint that rejected the row, or null.</param>
/// <param name="Reason">What is wrong, without the row number.</param>
public sealed record IngestError(long RowNumber, string? Field, string? Constraint, string Reason)
{
    /// <summary>The earlier row whose key this one repeats (1-based, as <see cref="RowNumber"/>), or null when the error is not a repeated key.</summary>
    public long? SameKeyAsRow { get; init; }

    /// <summary>The error of a row that repeats an earlier row's key, the key named by <paramref name="keyNames"/> as the row gave it.</summary>
    internal static IngestError RepeatedKey(long rowNumber, string keyNames, long? firstRow) =>
        new(rowNumber, keyNames, null,
            $"the key ({keyNames}) is the same as row {firstRow?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}'s; a batch may hold each key once")
        { SameKeyAsRow = firstRow };
}

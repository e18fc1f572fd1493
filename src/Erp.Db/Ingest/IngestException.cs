namespace Erp.Db.Ingest;

/// <summary>
/// A batch was rejected because of one of its rows; nothing of the batch was saved.
/// <see cref="Exception.Message"/> names the row, the field and, when a database constraint decided, the constraint,
/// e.g. <c>Row 3: shop_id 99 is not a shop of merchant 1 (fact_sales_orders_shop_fkey). Nothing of this batch was saved.</c>
/// </summary>
public sealed class IngestException : Exception
{
    /// <summary>Creates the exception for a row of a batch.</summary>
    /// <param name="rowNumber">1-based position of the row in the input.</param>
    /// <param name="field">The input field at fault (several separated by ", "), or null when unknown.</param>
    /// <param name="constraint">The database constraint that rejected the row, or null.</param>
    /// <param name="reason">What is wrong, without the row number.</param>
    /// <param name="innerException">The database error behind it, if any.</param>
    public IngestException(long rowNumber, string? field, string? constraint, string reason, Exception? innerException = null)
        : this([new IngestError(rowNumber, field, constraint, reason)], null, innerException)
    {
    }

    /// <summary>Creates the exception for several bad rows of a batch; the first one is the exception's own row, field and reason.</summary>
    /// <param name="errors">The bad rows, in input order; at least one.</param>
    /// <param name="innerException">The database error behind them, if any.</param>
    public IngestException(IReadOnlyList<IngestError> errors, Exception? innerException = null)
        : this(errors, null, innerException)
    {
    }

    private IngestException(IReadOnlyList<IngestError> errors, string? input, Exception? innerException)
        : base(MessageOf(First(errors), input), innerException)
    {
        var first = errors[0];
        RowNumber = first.RowNumber;
        Field = first.Field;
        Constraint = first.Constraint;
        Reason = first.Reason;
        Errors = errors;
        Input = input;
    }

    /// <summary>1-based position of the offending row in the input sequence.</summary>
    public long RowNumber { get; }

    /// <summary>The input field at fault in snake_case (as in CSV headers), several separated by ", "; null when unknown.</summary>
    public string? Field { get; }

    /// <summary>The name of the database constraint that rejected the row, or null.</summary>
    public string? Constraint { get; }

    /// <summary>What is wrong with the row, without the row number and the constraint.</summary>
    public string Reason { get; }

    /// <summary>Every bad row found (up to <see cref="IngestOptions.MaxErrors"/>), in input order; the first is this exception's row.</summary>
    public IReadOnlyList<IngestError> Errors { get; }

    /// <summary>
    /// Which input of a call that takes several the rows belong to (<c>orders</c> or <c>order-items</c> for
    /// <see cref="Ingestor.UpsertOrdersWithItemsAsync(IEnumerable{OrderRow}, IEnumerable{OrderItemRow}, System.Threading.CancellationToken)"/>);
    /// null for a call with one input.
    /// </summary>
    public string? Input { get; }

    /// <summary>The PostgreSQL SQLSTATE of the underlying error, or null when the row failed a check before the insert.</summary>
    public string? SqlState => (InnerException as Npgsql.PostgresException)?.SqlState;

    /// <summary>The same rows, named as rows of <paramref name="input"/> (one input of a call that takes several).</summary>
    internal IngestException Of(string input) => new(Errors, input, InnerException);

    private static string MessageOf(IngestError first, string? input) =>
        $"Row {first.RowNumber}{(input is null ? "" : $" of the {input}")}: {first.Reason}{(first.Constraint is null ? "" : $" ({first.Constraint})")}. Nothing of this batch was saved.";

    private static IngestError First(IReadOnlyList<IngestError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count > 0 ? errors[0] : throw new ArgumentException("At least one error is needed.", nameof(errors));
    }
}

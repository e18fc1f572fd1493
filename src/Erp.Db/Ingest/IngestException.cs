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
        : base($"Row {rowNumber}: {reason}{(constraint is null ? "" : $" ({constraint})")}. Nothing of this batch was saved.", innerException)
    {
        RowNumber = rowNumber;
        Field = field;
        Constraint = constraint;
        Reason = reason;
    }

    /// <summary>1-based position of the offending row in the input sequence.</summary>
    public long RowNumber { get; }

    /// <summary>The input field at fault in snake_case (as in CSV headers), several separated by ", "; null when unknown.</summary>
    public string? Field { get; }

    /// <summary>The name of the database constraint that rejected the row, or null.</summary>
    public string? Constraint { get; }

    /// <summary>What is wrong with the row, without the row number and the constraint.</summary>
    public string Reason { get; }

    /// <summary>The PostgreSQL SQLSTATE of the underlying error, or null when the row failed a check before the insert.</summary>
    public string? SqlState => (InnerException as Npgsql.PostgresException)?.SqlState;
}

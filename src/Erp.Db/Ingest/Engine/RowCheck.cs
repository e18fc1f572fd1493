namespace Erp.Db.Ingest.Engine;

/// <summary>
/// A check run on the temp table before the upsert, so that the error names the first bad row in words:
/// <see cref="FailsWhen"/> is a condition over the temp row <c>t</c>, <see cref="Message"/> a text expression describing it.
/// </summary>
internal sealed record RowCheck(string Field, string FailsWhen, string Message, string? Constraint = null)
{
    /// <summary>
    /// An input field without which the check cannot fail (<see cref="FailsWhen"/> requires <c>t.field IS NOT NULL</c>, and
    /// nothing but the COPY writes that column): a batch in which no row gives it leaves the check out of its statement. Planning
    /// alone costs: the invoice checks of an order join receivables and orders of every day, 10-15 ms to plan on a warehouse
    /// with a year of monthly partitions, most of the checks of a one-order call that has no invoice.
    /// </summary>
    public string? OnlyWhenGiven { get; init; }

    /// <summary>
    /// A text key that must be present and not blank: a value of only whitespace (a padded <c>char(n)</c> of another system)
    /// is missing, as <c>erpdb import</c> reads such a cell, instead of a key no one can tell from the next blank one.
    /// </summary>
    public static RowCheck Required(string field) => new(field, $"t.{field} IS NULL OR t.{field} !~ '[^[:space:]]'", $"'{field} is missing'");

    /// <summary>A date inside the business date range that <c>dw.business_date_problem</c> defines (docs/partitioning.md).</summary>
    public static RowCheck BusinessDate(string field) => new(field, $"dw.business_date_problem(t.{field}) IS NOT NULL",
        $"format('{field} %s %s', t.{field}, dw.business_date_problem(t.{field}))");

    /// <summary>
    /// A row's quantity of goods, at most 100,000,000: the totals it feeds (an order's units, a position's stock) are integers,
    /// and a quantity near their limit overflows them in the posting, which can name no row. A hundred million units on one line
    /// or receipt is a typo (a price or a code in the quantity column), not an order.
    /// </summary>
    public static RowCheck PlausibleQuantity(string field) => new(field, $"t.{field} > {MostQuantity}",
        $"format('{field} %s is more than {MostQuantity.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}, the most one row may move: check the column (a price or a code in it?)', t.{field})");

    /// <summary>The most units one row may move (<see cref="PlausibleQuantity"/>).</summary>
    public const int MostQuantity = 100_000_000;

    /// <summary>
    /// A rate the table derives, <paramref name="count"/> over <paramref name="of"/> (a generated <c>numeric(9, 6)</c>), below 1,000
    /// once rounded to 6 decimals (so below 999.9999995): a larger one overflows the column, which names neither field (a platform
    /// counting visitors otherwise than sales, or a column shifted).
    /// </summary>
    public static RowCheck RateBelow1000(string count, string of, string rate) => new(count, $"t.{of} > 0 AND t.{count} >= 999.9999995 * t.{of}",
        $"format('{count} %s over {of} %s makes a {rate} of 1,000 or more, more than it may be: check the two columns', t.{count}, t.{of})");

    /// <summary>
    /// The day something happened (a receipt, goods received, a count), <paramref name="day"/> an expression over the temp row
    /// <c>t</c> and its merchant <c>m</c>: not after the merchant's today, the date of now in its time zone (a year typed wrong
    /// would otherwise stand as the latest count, or a receipt in a period not yet begun). A merchant the batch does not know is
    /// the merchant check's to report.
    /// </summary>
    public static RowCheck NotAfterToday(string field, string day) => new(field,
        $"EXISTS (SELECT 1 FROM dw.dim_merchants AS m WHERE m.merchant_id = t.merchant_id AND {day} > (now() AT TIME ZONE m.timezone)::date)",
        $"(SELECT format('{field} %s is after today, %s in the merchant''s time zone %s: record what has happened', t.{field}, "
        + "(now() AT TIME ZONE m.timezone)::date, m.timezone) FROM dw.dim_merchants AS m WHERE m.merchant_id = t.merchant_id)");
}

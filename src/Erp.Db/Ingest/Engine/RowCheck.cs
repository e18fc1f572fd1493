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
}

namespace Erp.Db.Seeding;

/// <summary>The database already holds warehouse data and <see cref="ExistingDataPolicy.Replace"/> was not asked for.</summary>
/// <param name="table">The first table found with rows.</param>
/// <param name="message">What is wrong and what to do.</param>
public sealed class SeedTargetNotEmptyException(string table, string message) : InvalidOperationException(message)
{
    /// <summary>The first table found with rows, e.g. <c>dw.fact_sales_orders</c>.</summary>
    public string Table { get; } = table;
}

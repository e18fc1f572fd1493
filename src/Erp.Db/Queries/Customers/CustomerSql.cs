namespace Erp.Db.Queries.Customers;

/// <summary>The customer query (sql/queries/customers.sql) and its sort orders.</summary>
internal static class CustomerSql
{
    public static string Report(CustomerSort sort) => QuerySql.Text("customers", ("sort", Sort(sort)));

    public static string[] Views { get; } = QuerySql.Views("customers");

    private static string Sort(CustomerSort sort) => sort switch
    {
        CustomerSort.Orders => "order_count DESC",
        CustomerSort.LastOrder => "last_order_date DESC",
        _ => "total_spend_cny DESC",
    };
}

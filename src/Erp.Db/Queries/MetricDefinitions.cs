namespace Erp.Db.Queries;

/// <summary>
/// The definitions of the user, funnel and profit metrics in words, as the query files state them
/// (sql/queries/users.sql, users_cohorts.sql, funnel.sql, profit.sql): one text for the SQL, <c>--help</c> and apps.
/// </summary>
public static class MetricDefinitions
{
    /// <summary>DAU, MAU, new and returning users, session length, retention, ARPU, ARPPU and LTV.</summary>
    public static string Users => QuerySql.Definitions("users") + "\n" + QuerySql.Definitions("users_cohorts");

    /// <summary>Visitors, carts, checkouts, orders and the rates between them.</summary>
    public static string Funnel => QuerySql.Definitions("funnel");

    /// <summary>Revenue, cost, fees, profits, margins, expenses and the ROI of expenses.</summary>
    public static string Profit => QuerySql.Definitions("profit");
}

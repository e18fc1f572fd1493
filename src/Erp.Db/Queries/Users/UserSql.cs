using Erp.Db.Queries.Trends;

namespace Erp.Db.Queries.Users;

/// <summary>The users query (sql/queries/users.sql, users_cohorts.sql).</summary>
internal static class UserSql
{
    public static string Report { get; } = QuerySql.Batch("users", "users_cohorts");

    public static string[] Views { get; } = QuerySql.Views("users", "users_cohorts");

    /// <summary>The value of <c>:unit</c>.</summary>
    public static string Unit(Granularity grain) => TrendSql.Unit(grain);
}

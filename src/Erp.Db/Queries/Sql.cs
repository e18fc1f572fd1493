namespace Erp.Db.Queries;

/// <summary>Parameter helpers shared by the queries.</summary>
internal static class Sql
{
    /// <summary>Dapper 2.1 cannot send DateOnly; a DateTime at midnight compares with date columns through PostgreSQL's cross-type operators, index included.</summary>
    public static DateTime Date(DateOnly day) => day.ToDateTime(TimeOnly.MinValue);

    /// <summary>Throws <see cref="QueryValidationException"/> for text PostgreSQL cannot hold (NUL) instead of a server error.</summary>
    public static string? Text(string field, string? value) => value is not null && value.Contains('\0', StringComparison.Ordinal)
        ? throw new QueryValidationException(field, $"{field} must not contain a NUL character.")
        : value;

    /// <summary>A LIKE pattern that finds <paramref name="text"/> literally: %, _ and \ match themselves (use with ESCAPE '\').</summary>
    public static string Contains(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    /// <summary>ASC or DESC, from the closed enum.</summary>
    public static string Order(SortDirection direction) => direction == SortDirection.Ascending ? "ASC" : "DESC";
}

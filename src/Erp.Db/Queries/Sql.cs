namespace Erp.Db.Queries;

/// <summary>Parameter helpers shared by the queries.</summary>
internal static class Sql
{
    /// <summary>Dapper 2.1 cannot send DateOnly; a DateTime at midnight compares with date columns through PostgreSQL's cross-type operators, index included.</summary>
    public static DateTime Date(DateOnly day) => day.ToDateTime(TimeOnly.MinValue);

    /// <summary>Throws <see cref="QueryValidationException"/> for text PostgreSQL cannot hold (NUL, or a lone UTF-16 surrogate, which has no UTF-8 form) instead of a server or encoding error.</summary>
    public static string? Text(string field, string? value) => value switch
    {
        null => null,
        _ when value.Contains('\0', StringComparison.Ordinal) => throw new QueryValidationException(field, $"{field} must not contain a NUL character."),
        _ when !IsWellFormed(value) => throw new QueryValidationException(field, $"{field} holds a lone UTF-16 surrogate, which is not text."),
        _ => value,
    };

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsSurrogate(value[i]) && !char.IsSurrogatePair(value, i++))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// A platform code as dw.dim_platforms holds it (lower case: its CHECK), from what a user typed ("Shopee" is shopee); throws
    /// <see cref="QueryValidationException"/> for text that cannot be a code, which would otherwise match nothing in silence.
    /// </summary>
    public static string? PlatformCode(string field, string? value)
    {
        if (Text(field, value)?.Trim().ToLowerInvariant() is not { } code)
        {
            return null;
        }
        return code.Length > 0 && code[0] is >= 'a' and <= 'z' && code.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_')
            ? code
            : throw new QueryValidationException(field, $"'{value}' is not a platform code: codes are letters, digits and _ starting with a letter (shopee, tiktok, own_site, ...).");
    }

    /// <summary>A LIKE pattern that finds <paramref name="text"/> literally: %, _ and \ match themselves (use with ESCAPE '\').</summary>
    public static string Contains(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    /// <summary>ASC or DESC, from the closed enum.</summary>
    public static string Order(SortDirection direction) => direction == SortDirection.Ascending ? "ASC" : "DESC";
}

using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.dim_categories (parents come before their children).</summary>
/// <param name="CategoryId">Key.</param>
/// <param name="MerchantId">Owner.</param>
/// <param name="CategoryCode">Code, unique per merchant.</param>
/// <param name="CategoryName">Display name.</param>
/// <param name="ParentId">Parent category, null for a root.</param>
/// <param name="Level">Depth, 1 = root.</param>
/// <param name="Path">Codes from the root down, separated by '/'.</param>
internal sealed record CategoryRow(long CategoryId, long MerchantId, string CategoryCode, string CategoryName, long? ParentId, short Level, string Path)
    : ICopyRow<CategoryRow>
{
    static string ICopyRow<CategoryRow>.Table => "dw.dim_categories";

    static string ICopyRow<CategoryRow>.CopyCommand =>
        "COPY dw.dim_categories (category_id, merchant_id, category_code, category_name, parent_id, level, path) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<CategoryRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(CategoryId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(CategoryCode, NpgsqlDbType.Text, ct);
        await w.WriteAsync(CategoryName, NpgsqlDbType.Text, ct);
        await w.WriteNullableAsync(ParentId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(Level, NpgsqlDbType.Smallint, ct);
        await w.WriteAsync(Path, NpgsqlDbType.Text, ct);
    }
}

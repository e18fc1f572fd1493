using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>
/// Categories into dw.dim_categories, keyed (merchant_id, path). A new category is inserted as a root; then the batch's categories get the
/// parent whose path is theirs without the last segment (stored before or in the same batch) and their depth as level.
/// </summary>
internal static class CategoriesEntity
{
    private const string ParentPath = "regexp_replace(t.category_path, '/[^/]*$', '')";

    public static readonly IngestPlan<CategoryRow> Plan = new("categories", new EntityDefinition<CategoryRow>
    {
        Table = "dw.dim_categories",
        Fields =
        [
            Field.Id<CategoryRow>("merchant_id", r => r.MerchantId),
            Field.Text<CategoryRow>("merchant_code", r => r.MerchantCode),
            Field.Text<CategoryRow>("category_path", r => r.CategoryPath),
            Field.Text<CategoryRow>("category_name", r => r.CategoryName),
            Field.Text<CategoryRow>("category_code", r => r.CategoryCode),
        ],
        KeyFields = ["merchant_id", "category_path"],
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            new("path", "t.category_path", ["category_path"]),
            new("category_code", "coalesce(t.category_code, t.category_path)", ["category_code"]),
            new("category_name", "coalesce(t.category_name, regexp_replace(t.category_path, '^.*/', ''))", ["category_name"]),
            // The parent and level follow from the path (the key), so they are set once, by the posting below.
            new("parent_id", "NULL::bigint", []) { InsertOnly = true },
            new("level", "1", []) { InsertOnly = true },
        ],
        ConflictColumns = ["merchant_id", "path"],
        Resolve = [NaturalKeys.ResolveMerchant],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("category_path"),
            new("category_path", "t.category_path !~ '^[^/]+(/[^/]+)*$' OR t.category_path ~ '(^|/)\\s|\\s(/|$)'",
                "format('category_path %s is not segments separated by / (no empty segment, no blank around /)', t.category_path)"),
            new("category_path",
                $"strpos(t.category_path, '/') > 0 AND NOT EXISTS (SELECT 1 FROM dw.dim_categories AS c WHERE c.merchant_id = t.merchant_id AND c.path = {ParentPath}) "
                + $"AND NOT EXISTS (SELECT 1 FROM pg_temp.ingest_rows AS o WHERE o.merchant_id = t.merchant_id AND o.category_path = {ParentPath})",
                $"format('the parent %s of category_path %s is neither stored nor in the file', {ParentPath}, t.category_path)",
                "dim_categories_parent_fkey"),
        ],
        Post = $"""
            UPDATE dw.dim_categories AS c
            SET parent_id = p.category_id, level = array_length(string_to_array(c.path, '/'), 1)
            FROM pg_temp.ingest_rows AS t
            JOIN dw.dim_categories AS p ON p.merchant_id = t.merchant_id AND p.path = {ParentPath}
            WHERE strpos(t.category_path, '/') > 0 AND c.merchant_id = t.merchant_id AND c.path = t.category_path
              AND (c.parent_id, c.level) IS DISTINCT FROM (p.category_id, array_length(string_to_array(c.path, '/'), 1))
            """,
    });
}

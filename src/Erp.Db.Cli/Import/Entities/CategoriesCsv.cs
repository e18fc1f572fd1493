using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>categories: file columns of <see cref="CategoryRow"/>.</summary>
internal static class CategoriesCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<CategoryRow>("categories", "dw.dim_categories",
    [
        .. KeyColumns.Merchant,
        new("category_path", true, "path from the root, e.g. Electronics/Phones (the key)"),
        new("category_name", false, "default the last segment"),
        new("category_code", false, "unique code, default the path"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertCategoriesAsync(rows, ct));

    private static CategoryRow Map(CsvRecord r)
    {
        var row = new CategoryRow(r.LongOrNull("merchant_id") ?? 0, r.Text("category_path"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            CategoryName = r.TextOrNull("category_name"),
            CategoryCode = r.TextOrNull("category_code"),
        };
    }
}

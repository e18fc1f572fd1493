using Erp.Db.Migrations;

namespace Erp.Db.Tests.Infrastructure;

/// <summary>The materialized views the warehouse declares: one per file in sql/views.</summary>
internal static class WarehouseViews
{
    public static IReadOnlyList<string> Names { get; } = [.. ScriptCatalog.Embedded().Scripts
        .Where(s => s.Kind == ScriptKind.View)
        .Select(s => Path.GetFileNameWithoutExtension(s.Name))];

    public static int Count => Names.Count;
}

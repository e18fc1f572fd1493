using Erp.Db.Migrations;

namespace Erp.Db.Tests.Infrastructure;

/// <summary>How many materialized views the warehouse declares: one per file in sql/views.</summary>
internal static class WarehouseViews
{
    public static int Count { get; } = ScriptCatalog.Embedded().Scripts.Count(s => s.Kind == ScriptKind.View);
}

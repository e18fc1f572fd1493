using System.Text.RegularExpressions;
using Dapper;
using Erp.Db.Ingest.Engine;
using Erp.Db.Ingest.Entities;
using Erp.Db.Seeding.Loading;
using Erp.Db.Seeding.Rows;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Contracts;

/// <summary>
/// The C# lists of table columns (ingest plans, the seeder's COPY commands) and the constraint names ingest reports must agree
/// with the catalog of the migrated database: a renamed, added or generated column fails here, not in production.
/// </summary>
public partial class ColumnListTests
{
    /// <summary>Columns of dw.fact_sales_orders that neither ingest nor seeding write: the key and the audit stamps.</summary>
    private static readonly string[] OrderColumnsNotIngested = ["created_at", "order_id", "updated_at"];

    private static readonly string[] OrderColumnsNotSeeded = ["created_at", "updated_at"];

    [Fact]
    public async Task Ingest_and_seeding_write_exactly_the_writable_columns_of_the_sales_fact()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var writable = await WritableColumnsAsync(db, "dw", "fact_sales_orders");

        var ingested = OrdersEntity.Plan.Definition.Columns.Select(c => c.Name).ToHashSet();
        var seeded = CopyColumns<SalesOrderRow>();

        Assert.Equal(OrderColumnsNotIngested, writable.Except(ingested).Order());
        Assert.Empty(ingested.Except(writable));
        Assert.Equal(OrderColumnsNotSeeded, writable.Except(seeded).Order());
        Assert.Empty(seeded.Except(writable));
    }

    [Fact]
    public async Task Every_column_an_ingest_plan_or_a_seeding_copy_names_is_a_writable_column_of_its_table()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var lists = IngestLists().Concat(SeedingLists()).ToList();

        var wrong = new List<string>();
        foreach (var (source, table, columns) in lists)
        {
            var parts = table.Split('.');
            var writable = await WritableColumnsAsync(db, parts[0], parts[1]);
            wrong.AddRange(columns.Where(c => !writable.Contains(c)).Select(c => $"{source}: {table}.{c}"));
        }

        Assert.Equal(22, lists.Count);
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task Every_constraint_an_ingest_check_reports_exists_on_its_table()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var checks = IngestChecks().ToList();

        var missing = new List<string>();
        foreach (var (table, constraint) in checks)
        {
            // A key to the orders or, from lines and movements, to the products is a statement check (dw.check_order_references,
            // dw.check_product_references) raising under the key's old name.
            var found = await connection.ExecuteScalarAsync<bool>(
                """
                SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = @table::regclass AND conname = @constraint)
                    OR EXISTS (SELECT 1 FROM pg_catalog.pg_trigger AS t JOIN pg_catalog.pg_class AS c ON c.oid = t.tgrelid
                               WHERE t.tgrelid = @table::regclass
                                 AND (t.tgfoid = 'dw.check_order_references'::regproc AND @constraint = c.relname || '_order_fkey'
                                      OR t.tgfoid = 'dw.check_product_references'::regproc AND @constraint = c.relname || '_product_fkey'))
                """,
                new { table, constraint });
            if (!found)
            {
                missing.Add($"{table}: {constraint}");
            }
        }

        Assert.NotEmpty(checks);
        Assert.Empty(missing);
    }

    private static async Task<HashSet<string>> WritableColumnsAsync(TestDatabase db, string schema, string table)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var columns = (await connection.QueryAsync<string>("""
            SELECT column_name::text FROM information_schema.columns
            WHERE table_schema = @schema AND table_name = @table AND is_generated = 'NEVER'
            """, new { schema, table })).ToHashSet();
        Assert.NotEmpty(columns);
        return columns;
    }

    private static IEnumerable<(string Source, string Table, IEnumerable<string> Columns)> IngestLists() =>
    [
        Describe(OrdersEntity.Plan), Describe(OrderItemsEntity.Plan), Describe(ProductMetricsEntity.Plan), Describe(InventoryEntity.Plan),
        Describe(ExpensesEntity.Plan), Describe(PaymentsEntity.Plan), Describe(PurchasesEntity.Plan), Describe(StockCountsEntity.Plan),
    ];

    private static IEnumerable<(string Table, string Constraint)> IngestChecks() =>
    [
        .. Checks(OrdersEntity.Plan), .. Checks(OrderItemsEntity.Plan), .. Checks(ProductMetricsEntity.Plan), .. Checks(InventoryEntity.Plan),
        .. Checks(ExpensesEntity.Plan), .. Checks(PaymentsEntity.Plan), .. Checks(PurchasesEntity.Plan), .. Checks(StockCountsEntity.Plan),
    ];

    private static IEnumerable<(string Source, string Table, IEnumerable<string> Columns)> SeedingLists() =>
    [
        Copy<MerchantRow>(), Copy<ShopRow>(), Copy<CategoryRow>(), Copy<ProductRow>(), Copy<CustomerRow>(), Copy<ExchangeRateRow>(),
        Copy<SalesOrderRow>(), Copy<OrderItemRow>(), Copy<ProductMetricRow>(), Copy<InventoryRow>(), Copy<InventoryTransactionRow>(),
        Copy<ExpenseRow>(), Copy<TrafficFunnelRow>(), Copy<UserActivityRow>(),
    ];

    private static (string, string, IEnumerable<string>) Describe<TRow>(IngestPlan<TRow> plan) =>
        ("ingest " + plan.Entity, plan.Definition.Table, plan.Definition.Columns.Select(c => c.Name));

    private static IEnumerable<(string, string)> Checks<TRow>(IngestPlan<TRow> plan) =>
        plan.Definition.Checks.Where(c => c.Constraint is not null).Select(c => (plan.Definition.Table, c.Constraint!));

    private static (string, string, IEnumerable<string>) Copy<TRow>()
        where TRow : ICopyRow<TRow> => ("seeding " + typeof(TRow).Name, TRow.Table, CopyColumns<TRow>());

    private static HashSet<string> CopyColumns<TRow>()
        where TRow : ICopyRow<TRow>
    {
        var match = CopyCommand().Match(TRow.CopyCommand);
        Assert.True(match.Success, TRow.CopyCommand);
        Assert.Equal(TRow.Table, match.Groups["table"].Value);
        return match.Groups["columns"].Value.Split(',', StringSplitOptions.TrimEntries).ToHashSet();
    }

    [GeneratedRegex(@"^COPY (?<table>\S+) \((?<columns>[^)]*)\) FROM STDIN \(FORMAT BINARY\)$")]
    private static partial Regex CopyCommand();
}

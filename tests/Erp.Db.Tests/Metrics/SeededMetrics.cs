using System.Globalization;
using System.Text.Json;
using Erp.Db.Seeding;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Metrics;

/// <summary>One seeded database (two merchants, 150 days ending yesterday, views refreshed) shared by the read-only metric tests (<see cref="SharesSeededMetrics"/>).</summary>
public sealed class SeededMetrics : IAsyncLifetime
{
    private TestDatabase? db;

    public TestDatabase Db => db ?? throw new InvalidOperationException("Not initialised.");

    public static DateOnly Yesterday => DateOnly.FromDateTime(DateTime.Now).AddDays(-1);

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateMigratedAsync();
        await new Seeder(db.DataSource).SeedAsync(new SeedOptions { Orders = 1_500, Days = 150 });
        // Campaigns besides the seeded festival ones: one in the last weeks per merchant, one long ago (its results are computed at
        // once) and one without a target.
        await db.ExecuteAsync($"""
            INSERT INTO dw.cfg_sales_campaigns (merchant_id, campaign_code, campaign_name, start_date, end_date, target_gmv_cny, budget_cny)
            VALUES (1, 'recent', 'Recent', DATE '{D(Yesterday.AddDays(-40))}', DATE '{D(Yesterday.AddDays(-20))}', 50000, 1000),
                   (1, 'old', 'Old', DATE '2005-01-01', DATE '2005-01-31', NULL, 100),
                   (2, 'recent-b', 'Recent B', DATE '{D(Yesterday.AddDays(-40))}', DATE '{D(Yesterday.AddDays(-20))}', NULL, 500)
            """);
    }

    public async Task DisposeAsync()
    {
        if (db is not null)
        {
            await db.DisposeAsync();
        }
    }

    /// <summary>Runs erpdb with JSON output on the seeded database and returns data after checking success.</summary>
    public async Task<JsonElement> DataAsync(params string[] args)
    {
        var run = await Cli.CliRun.RunAsync([.. args, "--format", "json", "--connection", Db.ConnectionString]);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var json = run.Json();
        Assert.True(json.GetProperty("success").GetBoolean());
        return json.GetProperty("data");
    }

    /// <summary>A JSON value as the SQL side writes it: text, a number without trailing zeros, or '-' for null.</summary>
    public static string V(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "-",
        JsonValueKind.Number => value.GetDecimal().ToString("0.##########", CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>The named fields of each row, '|'-joined, rows ','-joined.</summary>
    public static string Rows(JsonElement array, params string[] fields) =>
        string.Join(",", array.EnumerateArray().Select(r => string.Join("|", fields.Select(f => V(r.GetProperty(f))))));

    /// <summary>An SQL expression as text the way <see cref="V"/> writes JSON values.</summary>
    public static string S(string expression) => $"coalesce(trim_scale(({expression})::numeric)::text, '-')";

    public static string D(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>The classes that share <see cref="SeededMetrics"/>: one seed for all three instead of one each.</summary>
[CollectionDefinition(Name)]
public sealed class SharesSeededMetrics : ICollectionFixture<SeededMetrics>
{
    public const string Name = "seeded metrics";
}

using Npgsql;

namespace Erp.Db.Bench;

/// <summary>A migrated database with the minimal dimensions ingest needs: one merchant with four shops.</summary>
internal static class BenchDatabase
{
    public const long Merchant = 1;
    public const int Shops = 4;

    internal const string Dimensions = """
        INSERT INTO dw.dim_merchants (merchant_id, merchant_code, merchant_name) VALUES (1, 'bench', 'Bench merchant');
        INSERT INTO dw.dim_shops (shop_id, merchant_id, platform_id, platform_shop_code, shop_name)
        SELECT s, 1, (SELECT platform_id FROM dw.dim_platforms WHERE platform_code = 'shopee'), 'shop-' || s, 'Shop ' || s
          FROM generate_series(1, 4) AS s;
        """;

    /// <summary>
    /// A database of its own for a step: a copy of one migrated with the bench's merchant and shops once per run
    /// (<see cref="BenchContext.StepTemplateAsync"/>). Migrating each step's database took seconds a step.
    /// </summary>
    public static async Task<NpgsqlDataSource> CreateAsync(BenchContext context, string purpose) =>
        NpgsqlDataSource.Create(await context.CreateDatabaseAsync(purpose, await context.StepTemplateAsync(
            dataSource => Admin.ExecuteAsync(dataSource, Dimensions))));

    /// <summary>
    /// Times <paramref name="step"/> in a database of its own (<see cref="CreateAsync"/>), loaded by <paramref name="prepare"/> (untimed),
    /// with the server at rest (<see cref="BenchContext.QuietAsync"/>), then dropped before the next step. With
    /// <see cref="BenchContext.Repeat"/> above 1, the step runs that many times, each in a fresh database, and the fastest counts.
    /// </summary>
    public static async Task<TimeSpan> TimeStepAsync(BenchContext context, string purpose, Func<NpgsqlDataSource, Task>? prepare, Func<NpgsqlDataSource, Task> step)
    {
        var fastest = TimeSpan.MaxValue;
        for (var run = 0; run < context.Repeat; run++)
        {
            await using var dataSource = await CreateAsync(context, purpose);
            try
            {
                if (prepare is not null)
                {
                    await prepare(dataSource);
                }
                await context.QuietAsync();
                var elapsed = await Timing.TimeAsync(() => step(dataSource));
                fastest = elapsed < fastest ? elapsed : fastest;
            }
            finally
            {
                await context.DropDatabaseAsync(dataSource);
            }
        }
        return fastest;
    }
}

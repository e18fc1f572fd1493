using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;

namespace Erp.Db.Tests.Queries;

/// <summary>A migrated database with the views' test dataset, refreshed, and an <see cref="ErpDatabase"/> over it.</summary>
public sealed class QueryFixture : IAsyncDisposable
{
    private QueryFixture(TestDatabase db)
    {
        Db = db;
        Erp = new ErpDatabase(db.DataSource);
    }

    public TestDatabase Db { get; }

    public ErpDatabase Erp { get; }

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    public static async Task<QueryFixture> CreateAsync()
    {
        var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        return new QueryFixture(db);
    }

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}

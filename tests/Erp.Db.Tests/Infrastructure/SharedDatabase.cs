namespace Erp.Db.Tests.Infrastructure;

/// <summary>
/// One migrated database for the tests of a class that leave it as they found it (a theory's cases that only read, or whose
/// statement or command is refused), as a class fixture: made on first use, loaded once, dropped after the class's last test.
/// A copy of the template and its data per case cost seconds each; a class's tests run one after the other.
/// </summary>
public sealed class SharedDatabase : IAsyncLifetime
{
    private Task<TestDatabase>? db;

    /// <summary>The database, made and loaded by <paramref name="load"/> on the first call; every caller of a class passes the same load.</summary>
    public Task<TestDatabase> GetAsync(Func<TestDatabase, Task>? load = null) => db ??= CreateAsync(load);

    private static async Task<TestDatabase> CreateAsync(Func<TestDatabase, Task>? load)
    {
        var created = await TestDatabase.CreateMigratedAsync();
        try
        {
            if (load is not null)
            {
                await load(created);
            }
            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (db is { IsCompletedSuccessfully: true })
        {
            await (await db).DisposeAsync();
        }
    }
}

namespace Erp.Db.Tests.Queries;

/// <summary>
/// One <see cref="QueryFixture"/> for the tests of a class that only read it, as a class fixture: made on first use, dropped after
/// the class's last test (as <see cref="Infrastructure.SharedDatabase"/>). A test that writes, creates logins or asserts how
/// old the views are keeps a <see cref="QueryFixture"/> of its own.
/// </summary>
public sealed class SharedQueryFixture : IAsyncLifetime
{
    private Task<QueryFixture>? fixture;

    public Task<QueryFixture> GetAsync() => fixture ??= QueryFixture.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (fixture is { IsCompletedSuccessfully: true })
        {
            await (await fixture).DisposeAsync();
        }
    }
}

using Erp.Db.Seeding;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Seeding;

/// <summary>
/// One database seeded with <see cref="SeederTests.Small"/>, shared by the classes of <see cref="SharesSmallSeed"/>: they
/// read it, or write what leaves it as it was (posting again), so a seed of its own each would only cost time.
/// </summary>
public sealed class SmallSeed : IAsyncLifetime
{
    private TestDatabase? db;

    public TestDatabase Db => db ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateMigratedAsync();
        await new Seeder(db.DataSource).SeedAsync(SeederTests.Small);
    }

    public async Task DisposeAsync()
    {
        if (db is not null)
        {
            await db.DisposeAsync();
        }
    }
}

/// <summary>The classes that share <see cref="SmallSeed"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SharesSmallSeed : ICollectionFixture<SmallSeed>
{
    public const string Name = "small seed";
}

using Erp.Db.Seeding;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Seeding;

/// <summary>
/// One database seeded with <see cref="SeederTests.Small"/>, shared by the classes of <see cref="SharesSmallSeed"/>: they
/// read it, or write what leaves it as it was (posting again, or in a transaction rolled back), so a seed of its own each
/// would only cost time (a seed of 2,000 orders took 10 to 20 s on a loaded machine, and seven classes' tests seeded one).
/// </summary>
public sealed class SmallSeed : IAsyncLifetime
{
    private TestDatabase? db;
    private SeedReport? report;

    public TestDatabase Db => db ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>What the seed of <see cref="Db"/> reported.</summary>
    public SeedReport Report => report ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateMigratedAsync();
        report = await new Seeder(db.DataSource).SeedAsync(SeederTests.Small);
    }

    public async Task DisposeAsync()
    {
        if (db is not null)
        {
            await db.DisposeAsync();
        }
    }
}

/// <summary>
/// The classes that share <see cref="SmallSeed"/>. They run one after the other, so the collection starts among the slow
/// classes (<see cref="SlowClassesFirst"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharesSmallSeed : ICollectionFixture<SmallSeed>
{
    public const string Name = "small seed";
}

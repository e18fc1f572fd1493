using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Erp.Db.Tests.Infrastructure.SlowClassesFirst", "Erp.Db.Tests")]

namespace Erp.Db.Tests.Infrastructure;

/// <summary>
/// Starts the test classes marked <c>[Trait("Category", "Slow")]</c> first, the others after them by name. xunit runs four
/// classes at a time (xunit.runner.json), in this order, and starts the next when one ends: a class of minutes started last ran
/// nearly alone at the end (the pg_cron tests, two minutes of waiting for pg_cron's next minute, were the last 75 s of a 17-minute run).
/// A named collection (<c>[Collection(name)]</c>, the classes sharing a seeded database) starts among them too.
/// </summary>
public sealed class SlowClassesFirst : ITestCollectionOrderer
{
    /// <summary>How xunit names the collection it makes of each class.</summary>
    private const string ClassCollectionPrefix = "Test collection for ";

    /// <inheritdoc/>
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => IsSlow(c) ? 0 : 1).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    /// <summary>
    /// Whether the collection is one class's and that class carries <c>[Trait("Category", "Slow")]</c>, or is a named one
    /// (<c>[Collection(name)]</c>, the classes sharing a fixture): its classes run one after the other, a minute or more in all.
    /// </summary>
    private static bool IsSlow(ITestCollection collection) =>
        !collection.DisplayName.StartsWith(ClassCollectionPrefix, StringComparison.Ordinal)
        || (typeof(SlowClassesFirst).Assembly.GetType(collection.DisplayName[ClassCollectionPrefix.Length..]) is { } type && IsSlow(type));

    private static bool IsSlow(Type type) =>
        type.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute)
            && a.ConstructorArguments is [{ Value: "Category" }, { Value: "Slow" }]);
}

using System.Reflection;
using System.Runtime.CompilerServices;
using Erp.Db.Seeding;

namespace Erp.Db.Tests.Library;

/// <summary>What the Erp.Db package ships to every app: the library, without the demo-data seeding.</summary>
public class PackageSurfaceTests
{
    private static readonly Assembly Library = typeof(ErpDatabase).Assembly;
    private static readonly Assembly Seeding = typeof(Seeder).Assembly;

    [Fact]
    public void Seeding_lives_in_its_own_assembly_and_exports_only_the_seeder_its_options_and_their_problems_and_report()
    {
        Assert.NotEqual(Library, Seeding);
        Assert.Equal("Erp.Db.Seeding", Seeding.GetName().Name);
        Assert.DoesNotContain(Library.GetTypes(), t => t.Namespace?.StartsWith("Erp.Db.Seeding", StringComparison.Ordinal) == true);
        Assert.Equal(
            ["ExistingDataPolicy", "SeedOptionProblem", "SeedOptions", "SeedOptionsException", "SeedProgress", "SeedReport", "SeedTableReport", "SeedTargetNotEmptyException", "Seeder"],
            Seeding.GetExportedTypes().Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void No_two_public_types_of_the_library_and_the_seeding_share_a_name()
    {
        var duplicates = Library.GetExportedTypes().Concat(Seeding.GetExportedTypes())
            .GroupBy(t => t.Name)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(t => t.FullName))}");

        Assert.Empty(duplicates);
    }

    [Fact]
    public void The_library_shows_its_internals_to_the_tests_and_the_benchmark_only_and_the_tool_is_an_ordinary_consumer()
    {
        var friends = Library.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).Order(StringComparer.Ordinal);

        // The benchmark reads the library's query SQL to show its plans; the tool (erpdb) uses the public API only.
        Assert.Equal(["Erp.Db.Bench", "Erp.Db.Tests"], friends);
    }
}

namespace Erp.Db.Tests.Infrastructure;

/// <summary>Paths in the repository checkout the tests run from (found by walking up to Erp.Db.sln).</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string SqlFolder => Path.Combine(Root, "sql");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Erp.Db.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Erp.Db.sln above {AppContext.BaseDirectory}: run the tests from a checkout of the repository.");
    }
}

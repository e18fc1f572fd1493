using System.Reflection;

namespace Erp.Db.Migrations;

/// <summary>
/// The ordered set of scripts migrate applies: migrations by name, then functions by name, then
/// views in dependency order (a view file names the views it reads in a <c>-- requires:</c> line).
/// </summary>
public sealed class ScriptCatalog
{
    private static readonly (string Folder, ScriptKind Kind)[] Groups =
    [
        ("migrations", ScriptKind.Migration),
        ("functions", ScriptKind.Function),
        ("views", ScriptKind.View),
    ];

    private ScriptCatalog(IReadOnlyList<MigrationScript> scripts) => Scripts = scripts;

    /// <summary>The scripts in the order they are applied.</summary>
    public IReadOnlyList<MigrationScript> Scripts { get; }

    /// <summary>The embedded scripts never change within a process: read and hash them once.</summary>
    private static readonly Lazy<ScriptCatalog> EmbeddedCatalog = new(ReadEmbedded);

    /// <summary>The scripts of <see cref="MigrationOptions.ScriptsDirectory"/>, else the embedded ones.</summary>
    internal static ScriptCatalog For(MigrationOptions options) =>
        options.ScriptsDirectory is { Length: > 0 } folder ? FromDirectory(folder) : Embedded();

    /// <summary>The scripts embedded in the Erp.Db assembly: the warehouse schema itself.</summary>
    public static ScriptCatalog Embedded() => EmbeddedCatalog.Value;

    private static ScriptCatalog ReadEmbedded()
    {
        var assembly = typeof(ScriptCatalog).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("sql/", StringComparison.Ordinal))
            .Select(n => (Path: n["sql/".Length..], Read: (Func<string>)(() => ReadResource(assembly, n))));
        return FromFiles(files);
    }

    /// <summary>Scripts from a folder laid out like the repository's <c>sql/</c>: migrations/, functions/, views/.</summary>
    /// <param name="sqlDirectory">The folder that holds migrations/, functions/ and views/.</param>
    public static ScriptCatalog FromDirectory(string sqlDirectory)
    {
        if (!Directory.Exists(sqlDirectory))
        {
            throw new DirectoryNotFoundException($"Script folder '{sqlDirectory}' does not exist; point it at a folder holding migrations/, functions/ and views/.");
        }
        var files = Directory.EnumerateFiles(sqlDirectory, "*.sql", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(sqlDirectory, f).Replace('\\', '/'), Read: (Func<string>)(() => File.ReadAllText(f))));
        return FromFiles(files);
    }

    private static ScriptCatalog FromFiles(IEnumerable<(string Path, Func<string> Read)> files)
    {
        var byFolder = files.ToLookup(f => f.Path.Split('/')[0]);
        var scripts = new List<MigrationScript>();
        foreach (var (folder, kind) in Groups)
        {
            var group = byFolder[folder]
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .Select(f => new MigrationScript(f.Path, kind, f.Read()))
                .ToList();
            scripts.AddRange(kind == ScriptKind.View ? ViewOrder.Sort(group) : group);
        }
        return new ScriptCatalog(scripts);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

using Erp.Db.Migrations;

namespace Erp.Db.Tests.Infrastructure;

/// <summary>A temporary sql/ folder (migrations/, functions/, views/) that a test writes scripts into.</summary>
public sealed class ScriptFolder : IDisposable
{
    public ScriptFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "erpdb-scripts-" + Guid.NewGuid().ToString("N"));

    public ScriptFolder Write(string relativePath, string sql)
    {
        var file = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, sql);
        return this;
    }

    public ScriptCatalog Catalog() => ScriptCatalog.FromDirectory(Path);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

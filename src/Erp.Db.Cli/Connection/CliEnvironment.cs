namespace Erp.Db.Cli.Connection;

/// <summary>Environment variables, behind a seam so tests can give their own.</summary>
internal sealed class CliEnvironment(Func<string, string?> lookup)
{
    public string? Get(string name) => lookup(name);
}

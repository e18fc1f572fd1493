using System.Security.Cryptography;
using Erp.Db.Migrations;
using Erp.Db.Migrations.Engine;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Contracts;

/// <summary>
/// sql/migrations.lock holds the SHA-256 of every migration, in sha256sum's format, so that
/// `cd sql &amp;&amp; sha256sum -c migrations.lock` also checks it. Applied migrations are append-only:
/// changing or removing one fails here, before any database sees the drift.
/// </summary>
public class MigrationsLockTests
{
    [Fact]
    public void Every_migration_matches_its_locked_checksum_and_every_migration_is_locked()
    {
        var lockFile = Path.Combine(Repository.SqlFolder, "migrations.lock");
        var locked = File.ReadAllLines(lockFile)
            .Where(l => l.Trim().Length > 0)
            .Select(l => l.Split("  ", 2))
            .ToDictionary(p => p[1], p => p[0]);
        var files = Directory.GetFiles(Path.Combine(Repository.SqlFolder, "migrations"), "*.sql")
            .Select(f => "migrations/" + Path.GetFileName(f))
            .Order(StringComparer.Ordinal)
            .ToList();

        var problems = new List<string>();
        foreach (var (name, sha) in locked)
        {
            var path = Path.Combine(Repository.SqlFolder, name);
            if (!File.Exists(path))
            {
                problems.Add($"{name} is locked but was removed: restore it (applied migrations are never removed)");
            }
            else if (Sha256(path) != sha)
            {
                problems.Add($"{name} changed after it was locked: restore it and put the change in a new migration");
            }
        }
        foreach (var name in files.Where(f => !locked.ContainsKey(f)))
        {
            problems.Add($"{name} is not locked: run `cd sql && sha256sum {name} >> migrations.lock`");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void A_reworded_migration_has_the_code_of_the_text_it_was_reworded_from()
    {
        var problems = ScriptCatalog.Embedded().Scripts
            .Where(s => s.Kind == ScriptKind.Migration)
            .SelectMany(s => s.Rewordings
                .Where(r => r.CodeSha256 != ScriptCode.Sha256(s.Contents))
                .Select(r => $"{s.Name} claims to be a rewording of {r.Sha256} with code {r.CodeSha256}, but its code is {ScriptCode.Sha256(s.Contents)}: "
                    + "only comments may change in an applied migration; put the change in a new migration"))
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}

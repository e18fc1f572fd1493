using CsCheck;
using Erp.Db.Migrations;
using Erp.Db.Migrations.Engine;

namespace Erp.Db.Tests.Migrations;

/// <summary>
/// What an app's login is told about the schema (MigrationStatusReport.Pending and Unknown, as ErpDatabase.SchemaStatusAsync and the
/// health check read them): whatever the journal lacks is pending, whatever a newer erpdb wrote is unknown, and nothing else.
/// </summary>
public class SchemaStatusPropertyTests
{
    private static readonly IReadOnlyList<MigrationScript> Scripts = ScriptCatalog.Embedded().Scripts;

    [Fact]
    public void Pending_is_what_the_journal_lacks_and_unknown_what_a_newer_erpdb_wrote()
    {
        // Per script: 0 its journal row is gone, 1 a newer erpdb applied another text of it (functions), else applied as shipped;
        // then up to 3 migrations this library does not ship.
        var journals = Gen.Select(Gen.Int[0, 9].Array[Scripts.Count], Gen.Int[0, 3]);
        journals.Sample((fates, newer) =>
        {
            var journal = new Dictionary<string, JournalEntry>();
            var removed = new List<string>();
            var downgraded = new List<string>();
            for (var i = 0; i < Scripts.Count; i++)
            {
                var script = Scripts[i];
                // A view's journal row kept: removing one would also make the views that read it pending (rebuilt with it).
                if (fates[i] == 0 && script.Kind != ScriptKind.View)
                {
                    removed.Add(script.Name);
                    continue;
                }
                var newerText = fates[i] == 1 && script.Kind == ScriptKind.Function;
                if (newerText)
                {
                    downgraded.Add(script.Name);
                }
                var sha = newerText ? new string('b', 64) : script.Sha256;
                journal[script.Name] = new JournalEntry
                {
                    Name = script.Name,
                    Sha256 = sha,
                    AppliedAt = DateTime.UtcNow,
                    ErpdbVersion = newerText ? "999.0.0" : ToolVersion.Current,
                    AppliedHashes = [sha],
                };
            }
            var unknownMigrations = Enumerable.Range(1, newer).Select(n => $"migrations/9{n:000}_from_a_newer_erpdb.sql").ToList();
            foreach (var name in unknownMigrations)
            {
                journal[name] = new JournalEntry { Name = name, Sha256 = new string('a', 64), AppliedAt = DateTime.UtcNow, ErpdbVersion = "999.0.0", AppliedHashes = [] };
            }

            var report = MigrationPlanner.Compare("db", ScriptCatalog.Embedded(), journal, variablesAsApplied: true);

            Assert.Equal(removed, report.Pending.Select(s => s.Name));
            Assert.Equal([.. downgraded, .. unknownMigrations], report.Unknown.Select(s => s.Name));
            Assert.Equal(removed.Count == 0 && downgraded.Count == 0 && newer == 0, report.IsUpToDate);
        }, iter: 200);
    }
}

using System.Text.RegularExpressions;
using Dapper;
using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Contracts;

/// <summary>
/// A function's live body is read in one place (its file in sql/functions), and what the database says about itself
/// (COMMENT ON) uses our own words: no text cites design documents that are not in the repository.
/// </summary>
public partial class LiveDefinitionTests
{
    [Fact]
    public void Every_function_a_migration_creates_has_its_live_definition_in_sql_functions()
    {
        var scripts = ScriptCatalog.Embedded().Scripts;
        var files = scripts.Where(s => s.Kind == ScriptKind.Function).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var created = scripts.Where(s => s.Kind == ScriptKind.Migration)
            .SelectMany(s => CreateFunction().Matches(s.Contents).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(created);
        var missing = created.Where(name => !files.Any(f => f.EndsWith(name + ".sql", StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, "no file in sql/functions for: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task No_comment_in_the_database_cites_the_design_documents()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();

        var citing = (await connection.QueryAsync<string>("""
            SELECT pg_catalog.pg_describe_object(d.classoid, d.objoid, d.objsubid) || ': ' || d.description
            FROM pg_catalog.pg_description AS d
            WHERE d.description ~* '\mseeds?\M (0|[0-9]{3})|\mseed''s\M|\mseeds''\M|\(seed [0-9]'
            UNION ALL
            SELECT 'schema ' || n.nspname || ': ' || d.description
            FROM pg_catalog.pg_namespace AS n
            JOIN pg_catalog.pg_description AS d ON d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::regclass
            WHERE n.nspname = 'staging' AND d.description ~* 'before cleaning'
            """)).ToList();

        Assert.Empty(citing);
    }

    [GeneratedRegex(@"CREATE (?:OR REPLACE )?FUNCTION (?<name>[a-z_]+\.[a-z_]+)\(")]
    private static partial Regex CreateFunction();
}

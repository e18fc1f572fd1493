using Erp.Db.Migrations.Engine;

namespace Erp.Db.Tests.Migrations;

public class SqlStatementSplitterTests
{
    [Fact]
    public void Splits_at_top_level_semicolons_only()
    {
        var sql = """
            SELECT 'a;b', E'it\'s;', "odd;name" FROM t; -- trailing; comment
            /* block; /* nested; */ still comment; */
            SELECT $$ x; y $$;
            DO $body$ BEGIN PERFORM 1; END $body$;
            CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
                SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END;
                SELECT x + 1;
            END;
            SELECT 4
            """;

        var statements = SqlStatementSplitter.Split(sql);

        Assert.Equal(5, statements.Count);
        Assert.StartsWith("SELECT 'a;b'", statements[0].Text.Trim());
        Assert.Contains("$$ x; y $$", statements[1].Text);
        Assert.Contains("END $body$", statements[2].Text);
        Assert.EndsWith("END", statements[3].Text.Trim());
        Assert.Equal("SELECT 4", statements[4].Text.Trim());
    }

    [Fact]
    public void Knows_the_line_each_statement_starts_on_and_maps_positions_to_lines()
    {
        var sql = "SELECT 1;\n\n-- comment\nSELECT\n  oops;\n";

        var statements = SqlStatementSplitter.Split(sql);

        Assert.Equal(2, statements.Count);
        Assert.Equal(1, statements[0].StartLine);
        Assert.Equal(1, statements[1].StartLine);
        var position = statements[1].Text.IndexOf("oops", StringComparison.Ordinal) + 1;
        Assert.Equal(5, statements[1].LineOf(position));
        // An error without a position (a duplicate table) names the line the statement's code starts on, past the comment.
        Assert.Equal((1, 4), (statements[0].LineOf(0), statements[1].LineOf(0)));
    }

    [Fact]
    public void Ignores_statements_that_are_only_comments()
    {
        Assert.Empty(SqlStatementSplitter.Split("-- nothing here;\n/* nor; here */\n;"));
    }
}

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// One statement of a script, with the 1-based lines on which its text starts (just after the previous statement's semicolon)
/// and its code starts (past the blank lines and comments before it).
/// </summary>
internal readonly record struct SqlStatement(string Text, int StartLine, int CodeLine)
{
    /// <summary>
    /// The script line of a 1-based character position inside this statement; without one (0: PostgreSQL gave none, as for a
    /// duplicate table), the line its code starts on.
    /// </summary>
    public int LineOf(int position)
    {
        if (position <= 0)
        {
            return CodeLine;
        }
        var line = StartLine;
        var end = Math.Min(Math.Max(position - 1, 0), Text.Length);
        for (var i = 0; i < end; i++)
        {
            if (Text[i] == '\n')
            {
                line++;
            }
        }
        return line;
    }
}

/// <summary>
/// Splits a PostgreSQL script into statements at top-level semicolons, the way psql does: it
/// skips strings (standard, E'' and dollar-quoted with any tag), quoted identifiers, line and
/// nested block comments, and keeps <c>BEGIN ATOMIC ... END</c> function bodies whole.
/// </summary>
internal static class SqlStatementSplitter
{
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        var scanner = new Scanner(sql);
        var start = 0;
        var startLine = 1;
        var codeLine = 1;
        var line = 1;
        var hasToken = false;
        var words = new List<string>();
        var atomicDepth = 0;

        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\n')
            {
                line++;
                i++;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var skipped = scanner.SkipNonCode(i);
            if (skipped > i)
            {
                if (!IsComment(sql, i))
                {
                    codeLine = hasToken ? codeLine : line;
                    hasToken = true;
                }
                line += CountNewLines(sql, i, skipped);
                i = skipped;
                continue;
            }

            if (c == ';' && atomicDepth == 0)
            {
                if (hasToken)
                {
                    statements.Add(new SqlStatement(sql[start..i], startLine, codeLine));
                }
                i++;
                start = i;
                startLine = line;
                hasToken = false;
                words.Clear();
                continue;
            }

            codeLine = hasToken ? codeLine : line;
            hasToken = true;
            if (IsWordStart(c) && (i == 0 || !IsWordPart(sql[i - 1])))
            {
                var end = i;
                while (end < sql.Length && IsWordPart(sql[end]))
                {
                    end++;
                }
                var word = sql[i..end].ToLowerInvariant();
                atomicDepth = TrackAtomicBody(words, word, atomicDepth);
                words.Add(word);
                i = end;
                continue;
            }
            i++;
        }

        if (hasToken)
        {
            statements.Add(new SqlStatement(sql[start..], startLine, codeLine));
        }
        return statements;
    }

    /// <summary>Counts BEGIN ATOMIC / CASE ... END nesting inside CREATE FUNCTION or PROCEDURE.</summary>
    private static int TrackAtomicBody(List<string> words, string word, int depth)
    {
        if (depth > 0)
        {
            return word switch
            {
                "case" => depth + 1,
                "end" => depth - 1,
                _ => depth,
            };
        }
        var isRoutine = words.Count > 1 && words[0] == "create"
            && words.Take(5).Any(w => w is "function" or "procedure");
        return isRoutine && word == "atomic" && words[^1] == "begin" ? 1 : 0;
    }

    private static bool IsComment(string sql, int i) =>
        (sql[i] == '-' || sql[i] == '/') && i + 1 < sql.Length && sql[i + 1] == (sql[i] == '-' ? '-' : '*');

    private static int CountNewLines(string sql, int from, int to)
    {
        var count = 0;
        for (var i = from; i < to; i++)
        {
            if (sql[i] == '\n')
            {
                count++;
            }
        }
        return count;
    }

    internal static bool IsWordStart(char c) => char.IsLetter(c) || c == '_';

    internal static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$';

    /// <summary>Finds the end of the string, identifier or comment that starts at a position.</summary>
    private readonly struct Scanner(string sql)
    {
        /// <summary>The index just past the literal or comment at <paramref name="i"/>, or <paramref name="i"/> if none starts there.</summary>
        public int SkipNonCode(int i)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (c == '-' && next == '-')
            {
                var end = sql.IndexOf('\n', i);
                return end < 0 ? sql.Length : end;
            }
            if (c == '/' && next == '*')
            {
                return SkipBlockComment(i);
            }
            if (c == '\'')
            {
                var escapes = i > 0 && (sql[i - 1] is 'e' or 'E') && (i < 2 || !IsWordPart(sql[i - 2]));
                return SkipQuoted(i, '\'', escapes);
            }
            if (c == '"')
            {
                return SkipQuoted(i, '"', backslashEscapes: false);
            }
            if (c == '$' && (i == 0 || !IsWordPart(sql[i - 1])))
            {
                return SkipDollarQuoted(i);
            }
            return i;
        }

        private int SkipBlockComment(int i)
        {
            var depth = 0;
            while (i < sql.Length - 1)
            {
                if (sql[i] == '/' && sql[i + 1] == '*')
                {
                    depth++;
                    i += 2;
                }
                else if (sql[i] == '*' && sql[i + 1] == '/')
                {
                    depth--;
                    i += 2;
                    if (depth == 0)
                    {
                        return i;
                    }
                }
                else
                {
                    i++;
                }
            }
            return sql.Length;
        }

        private int SkipQuoted(int i, char quote, bool backslashEscapes)
        {
            i++;
            while (i < sql.Length)
            {
                if (backslashEscapes && sql[i] == '\\')
                {
                    i += 2;
                    continue;
                }
                if (sql[i] == quote)
                {
                    if (i + 1 < sql.Length && sql[i + 1] == quote)
                    {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i++;
            }
            return sql.Length;
        }

        private int SkipDollarQuoted(int i)
        {
            var tagEnd = i + 1;
            if (tagEnd < sql.Length && IsWordStart(sql[tagEnd]))
            {
                while (tagEnd < sql.Length && (char.IsLetterOrDigit(sql[tagEnd]) || sql[tagEnd] == '_'))
                {
                    tagEnd++;
                }
            }
            if (tagEnd >= sql.Length || sql[tagEnd] != '$')
            {
                return i;
            }
            var tag = sql[i..(tagEnd + 1)];
            var close = sql.IndexOf(tag, tagEnd + 1, StringComparison.Ordinal);
            return close < 0 ? sql.Length : close + tag.Length;
        }
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// A view script cut in two so its view can be built beside the old one (docs/view-rebuilds.md):
/// <see cref="Build(IEnumerable{string})"/> holds the statements that make the view itself (drop,
/// create, indexes, comments on it, its grants) with the view's and its indexes' names given the
/// <see cref="TemporarySuffix"/>; <see cref="Tail"/> holds the rest (registration, reader view and
/// its grants), run with the real names after the swap. Both keep every statement on its script
/// line, so an error still names the right line. Only scripts that create a materialized view
/// named after their file can be cut; others are run whole, in place.
/// </summary>
internal sealed partial class ViewScriptParts
{
    /// <summary>Added to the view's name and each of its indexes' while the new version is built.</summary>
    public const string TemporarySuffix = "_erpdb_new";

    private readonly IReadOnlyList<(SqlStatement Statement, bool IsBuild)> statements;

    private ViewScriptParts(string viewName, IReadOnlyList<(SqlStatement, bool)> statements)
    {
        ViewName = viewName;
        this.statements = statements;
    }

    /// <summary>The schema-qualified view the script makes, e.g. <c>mart.mv_daily_sales</c>.</summary>
    public string ViewName { get; }

    /// <summary>The name the new version is built under.</summary>
    public static string TemporaryName(string viewName) => viewName + TemporarySuffix;

    /// <summary>The script's statements that run after the swap, with the real names.</summary>
    public string Tail => Join(isBuild: false, text => text);

    /// <summary>
    /// The statements that build the view beside the old one: this view's name, and the names of
    /// the views in <paramref name="besideViews"/> (built beside in the same run), get the
    /// temporary suffix; so do the names of the indexes it creates.
    /// </summary>
    public string Build(IEnumerable<string> besideViews)
    {
        var names = besideViews.Append(ViewName).Distinct().ToList();
        return Join(isBuild: true, text =>
        {
            text = CreateIndexName().Replace(text, m => m.Groups["head"].Value + m.Groups["name"].Value + TemporarySuffix);
            foreach (var name in names)
            {
                text = Regex.Replace(text, NamePattern(name), TemporaryName(name), RegexOptions.IgnoreCase);
            }
            return text;
        });
    }

    /// <summary>The script cut in two, or null when it does not create a materialized view named after its file (it then runs whole).</summary>
    public static ViewScriptParts? TrySplit(MigrationScript script)
    {
        var viewName = ViewOrder.ViewName(script);
        var name = NamePattern(viewName);
        if (viewName.Split('.').Length != 2 || viewName.Split('.')[1].Length + TemporarySuffix.Length > 63)
        {
            return null;
        }
        var build = new Regex(
            $@"^(DROP\s+MATERIALIZED\s+VIEW\s+(IF\s+EXISTS\s+)?{name}"
            + $@"|CREATE\s+MATERIALIZED\s+VIEW\s+(IF\s+NOT\s+EXISTS\s+)?{name}"
            + $@"|CREATE\s+(UNIQUE\s+)?INDEX\s+[^;]*?\bON\s+(ONLY\s+)?{name}"
            + $@"|COMMENT\s+ON\s+(MATERIALIZED\s+VIEW\s+{name}|COLUMN\s+{name}\.)"
            + $@"|(GRANT|REVOKE)\s[^;]*?\bON\s+(TABLE\s+|MATERIALIZED\s+VIEW\s+)?{name}"
            + $@"|ANALYZE\s+{name})",
            RegexOptions.IgnoreCase | RegexOptions.Singleline);
        var create = new Regex($@"^CREATE\s+MATERIALIZED\s+VIEW\s+(IF\s+NOT\s+EXISTS\s+)?{name}", RegexOptions.IgnoreCase);
        var split = SqlStatementSplitter.Split(script.Contents)
            .Select(s => (s, build.IsMatch(Code(s.Text))))
            .ToList();
        return split.Count(s => create.IsMatch(Code(s.s.Text))) == 1 ? new ViewScriptParts(viewName, split) : null;
    }

    private string Join(bool isBuild, Func<string, string> rewrite)
    {
        var text = new StringBuilder();
        foreach (var (statement, build) in statements)
        {
            if (build == isBuild)
            {
                text.Append(rewrite(statement.Text)).Append(';');
            }
            else
            {
                text.Append('\n', statement.Text.Count(c => c == '\n'));
            }
        }
        return text.ToString();
    }

    /// <summary>A statement's text without its leading blank lines and line comments.</summary>
    private static string Code(string text) => LeadingComments().Replace(text, "");

    private static string NamePattern(string viewName) => $@"(?<![\w.""]){Regex.Escape(viewName)}(?![\w""])";

    [GeneratedRegex(@"^(\s|--[^\n]*(\n|$))*")]
    private static partial Regex LeadingComments();

    [GeneratedRegex(@"(?<head>(^|\n)\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(IF\s+NOT\s+EXISTS\s+)?)(?<name>\w+)(?=\s+ON\s)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateIndexName();
}

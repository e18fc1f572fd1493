using System.Text.RegularExpressions;

namespace Erp.Db.Migrations;

/// <summary>
/// Orders view scripts so that every view comes after the views it reads. A view script is named
/// after its view (<c>views/mart.mv_weekly_sales.sql</c>) and lists what it reads in its header
/// (<c>-- requires: mart.mv_daily_sales, dw.dim_shops</c>); names that are not views are ignored.
/// </summary>
internal static partial class ViewOrder
{
    /// <summary>The schema-qualified view a script defines, from its file name.</summary>
    public static string ViewName(MigrationScript script) => Path.GetFileNameWithoutExtension(script.Name);

    /// <summary>The views a script reads, from its <c>-- requires:</c> header lines.</summary>
    public static IEnumerable<string> Requires(MigrationScript script) =>
        RequiresLine().Matches(script.Contents)
            .SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(n => n.Split(' ')[0]);

    /// <summary>Topological order, ties broken by name; a cycle is an error naming the views in it.</summary>
    public static IReadOnlyList<MigrationScript> Sort(IReadOnlyList<MigrationScript> views)
    {
        var byName = views.ToDictionary(ViewName);
        var sorted = new List<MigrationScript>();
        var state = new Dictionary<string, bool>(); // false = visiting, true = done
        foreach (var view in views.OrderBy(ViewName, StringComparer.Ordinal))
        {
            Visit(view, []);
        }
        return sorted;

        void Visit(MigrationScript view, List<string> path)
        {
            var name = ViewName(view);
            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                {
                    throw new InvalidOperationException($"Views depend on each other in a cycle: {string.Join(" -> ", path.Append(name))}. Remove one of the '-- requires:' entries.");
                }
                return;
            }
            state[name] = false;
            foreach (var dependency in Requires(view).Where(byName.ContainsKey).Order(StringComparer.Ordinal))
            {
                Visit(byName[dependency], [.. path, name]);
            }
            state[name] = true;
            sorted.Add(view);
        }
    }

    /// <summary>The given views plus every view that reads them, directly or not.</summary>
    public static ISet<string> WithDependents(IReadOnlyList<MigrationScript> views, IEnumerable<string> changed)
    {
        var result = new HashSet<string>(changed);
        bool grew;
        do
        {
            grew = false;
            foreach (var view in views)
            {
                if (!result.Contains(ViewName(view)) && Requires(view).Any(result.Contains))
                {
                    grew |= result.Add(ViewName(view));
                }
            }
        }
        while (grew);
        return result;
    }

    [GeneratedRegex(@"^--\s*requires:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex RequiresLine();
}

using System.Reflection;
using Erp.Db.Queries;
using Erp.Db.Refresh;

namespace Erp.Db.Tests.Library;

/// <summary>
/// The public result types (what the queries and the refresher return, and so the JSON the CLI prints) keep one name per
/// figure: the vocabulary of docs/json-names.md, checked by reflection so that a new result cannot bring an old name back.
/// </summary>
public class ResultNamesTests
{
    private static readonly Assembly Library = typeof(ErpDatabase).Assembly;

    /// <summary>Names that said one figure several ways, and the name the vocabulary gives it.</summary>
    private static readonly Dictionary<string, string> Retired = new(StringComparer.Ordinal)
    {
        ["OrderCount"] = "Orders",
        ["TotalOrders"] = "Orders",
        ["TotalRevenue"] = "Revenue",
        ["AverageOrderValue"] = "Aov",
        ["PreviousPeriodRevenue"] = "PreviousRevenue",
        ["Granularity"] = "Grain",
        ["Age"] = "AgeSeconds",
        ["LastRefreshAt"] = "LastRefresh",
        ["IsStale"] = "Stale",
        ["IsDirty"] = "PendingChanges",
        ["Quantity"] = "Units",
        ["SalesVolume"] = "Units",
        ["Last30DaysSales"] = "UnitsLast30Days",
        ["StartDate"] = "Start",
        ["EndDate"] = "End",
        ["PeriodStart"] = "Start",
        ["PeriodEnd"] = "End",
        ["ViewName"] = "View",
    };

    private static readonly HashSet<string> DayNames = new(StringComparer.Ordinal) { "Bucket", "Start", "End", "From", "To", "AsOf", "FirstDay", "LastDay", "Month" };

    [Fact]
    public void Every_public_result_type_follows_the_vocabulary()
    {
        Assert.Empty(Problems(ResultTypes()));
    }

    [Fact]
    public void The_result_types_are_found_from_what_the_queries_and_the_refresher_return()
    {
        var names = ResultTypes().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "SalesReport", "SalesMetrics", "SalesRow", "TopProduct", "TrendReport", "TrendPoint", "CustomerRow", "ShopHealthRow", "CampaignRow",
             "CampaignTotals", "ProfitRow", "FunnelRow", "ProductRow", "ReceivableRow", "ReceivableTotals", "AgingBucket", "ReceiptTotals",
             "FinanceMonth", "UserBucket", "ViewFreshness", "ViewStatus", "RefreshResult", "PagedResult`1", "QueryResult`1" },
            names);
    }

    [Fact]
    public void The_rules_catch_each_name_that_was_retired()
    {
        var problems = Problems([typeof(OldNames), typeof(OldShopRow)]);

        Assert.Equal(
            ["OldNames.AgeSeconds", "OldNames.Bucket", "OldNames.BudgetCny", "OldNames.CreatedAt", "OldNames.GmvCny", "OldNames.IsOpen", "OldNames.Key",
             "OldNames.OrderCount", "OldNames.Period", "OldNames.TotalOrders", "OldNames.TotalRevenue", "OldNames.ViewName", "OldShopRow.ShopName"],
            problems.Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>Every type of the library reachable from the return types of the public query and refresh methods.</summary>
    private static IReadOnlyList<Type> ResultTypes()
    {
        var roots = new[] { typeof(WarehouseQueries), typeof(ViewRefresher) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => Unwrap(m.ReturnType));
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>(roots);
        while (queue.TryDequeue(out var type))
        {
            if (seen.Add(type))
            {
                foreach (var inner in Properties(type).SelectMany(p => Unwrap(p.PropertyType)))
                {
                    queue.Enqueue(inner);
                }
            }
        }
        return [.. seen.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    /// <summary>The library's classes in a type: itself, or the arguments of a Task, list, page or nullable.</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.IsGenericParameter)
        {
            return [];
        }
        if (type.IsArray)
        {
            return Unwrap(type.GetElementType()!);
        }
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            return type.GetGenericArguments().SelectMany(Unwrap).Concat(definition.Assembly == Library ? [definition] : []);
        }
        return type.Assembly == Library && type.IsClass && !typeof(Exception).IsAssignableFrom(type) ? [type] : [];
    }

    private static PropertyInfo[] Properties(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);

    private static Type Bare(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    /// <summary>What breaks the vocabulary, one line per property: "Type.Property: why".</summary>
    private static List<string> Problems(IReadOnlyList<Type> types)
    {
        // CNY amounts carry the suffix only beside an amount in a document's own currency (a type with Currency), and in the totals
        // and summaries reported next to such rows (their sums keep the rows' names).
        var withCurrency = types.Where(t => Properties(t).Any(p => p.Name == "Currency")).ToHashSet();
        var mayNameCny = withCurrency.Concat(types
                .Select(t => Properties(t).SelectMany(p => Unwrap(p.PropertyType)).ToList())
                .Where(children => children.Any(withCurrency.Contains))
                .SelectMany(children => children))
            .ToHashSet();
        var problems = new List<string>();
        foreach (var type in types)
        {
            var names = Properties(type).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            // A row's own entity comes first, by its id (ShopId): its name is then Name, as other rows' own names are; ShopName
            // beside another entity's id (a campaign's shop) names that shop.
            var own = Properties(type).OrderBy(p => p.MetadataToken).FirstOrDefault()?.Name is { } first && first.EndsWith("Id", StringComparison.Ordinal) && first.Length > 2
                ? first[..^2]
                : null;
            foreach (var property in Properties(type))
            {
                var name = property.Name;
                var bare = Bare(property.PropertyType);
                void Problem(string why) => problems.Add($"{type.Name}.{name}: {why}");

                if (Retired.TryGetValue(name, out var now) || name.EndsWith("OrderCount", StringComparison.Ordinal))
                {
                    Problem($"retired name; the vocabulary says {now ?? "Orders"}");
                }
                if (name.StartsWith("Total", StringComparison.Ordinal) && name.Length > 5 && char.IsUpper(name[5]) && bare != typeof(long))
                {
                    Problem("a total is named as the figure it sums (Revenue in Totals), never Total<figure>; Total<things> is only a count");
                }
                if (name.Contains("Gmv", StringComparison.Ordinal))
                {
                    Problem("GMV of valid orders is Revenue");
                }
                if (name.EndsWith("Cny", StringComparison.Ordinal)
                    && (!mayNameCny.Contains(type) || bare != typeof(decimal) || (withCurrency.Contains(type) && !names.Contains(name[..^3]))))
                {
                    Problem("money is CNY without a suffix; Cny only beside the same amount in the document's currency (and in those rows' totals)");
                }
                if (bare == typeof(TimeSpan))
                {
                    Problem("a duration is a number named with its unit (AgeSeconds, DurationMs)");
                }
                if ((name.EndsWith("Seconds", StringComparison.Ordinal) || name.EndsWith("Ms", StringComparison.Ordinal))
                    && bare != typeof(double) && bare != typeof(decimal) && bare != typeof(long) && bare != typeof(int))
                {
                    Problem("a duration named with its unit is a number");
                }
                if ((DayNames.Contains(name) || name.EndsWith("Date", StringComparison.Ordinal)) && bare != typeof(DateOnly))
                {
                    Problem("a day is a DateOnly (yyyy-MM-dd in JSON), never text");
                }
                if (name.EndsWith("At", StringComparison.Ordinal) && bare != typeof(DateTimeOffset))
                {
                    Problem("an instant is a DateTimeOffset (ISO 8601 with its offset)");
                }
                if (bare == typeof(bool) && name.StartsWith("Is", StringComparison.Ordinal) && name.Length > 2 && char.IsUpper(name[2]))
                {
                    Problem("a flag is the adjective itself (Stale, Healthy, Open), without Is");
                }
                if (own is not null && name == own + "Name")
                {
                    Problem($"a row names its own entity ({own}Id) Name");
                }
                if (name == "Key" && property.PropertyType != typeof(string))
                {
                    Problem("a group's key is text (an id or a code); a time bucket is Bucket");
                }
                if (name == "Period" && bare != typeof(Period) && bare != typeof(Erp.Db.Queries.Sales.PeriodInfo))
                {
                    Problem("Period is the days covered (start, end, days); a kind of period is PeriodType");
                }
            }
        }
        return problems;
    }

    /// <summary>The names the vocabulary retired, as they were, each breaking one rule.</summary>
    private sealed record OldNames(
        long OrderCount, long TotalOrders, decimal TotalRevenue, decimal GmvCny, decimal? BudgetCny, TimeSpan AgeSeconds, string Bucket, int Key,
        string Period, DateTime CreatedAt, decimal Revenue, long TotalCustomers, DateOnly? Month, bool IsOpen, string ViewName);

    /// <summary>A row of shops that named its own shop ShopName.</summary>
    private sealed record OldShopRow(long ShopId, string ShopName, long? CampaignId);
}

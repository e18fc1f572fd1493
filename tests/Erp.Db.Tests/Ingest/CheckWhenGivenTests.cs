using System.Text.RegularExpressions;
using Erp.Db.Ingest.Engine;
using Erp.Db.Ingest.Entities;

namespace Erp.Db.Tests.Ingest;

/// <summary>
/// A check marked <see cref="RowCheck.OnlyWhenGiven"/> is left out of a batch in which no row gives that field: it must then be one
/// that cannot fail without it, and the checks that stay keep their numbers (the errors are looked up by them).
/// </summary>
public partial class CheckWhenGivenTests
{
    [Fact]
    public void Every_check_left_out_without_its_field_requires_that_field_and_the_field_is_watched_by_the_copy()
    {
        var plans = new (string Entity, IReadOnlyList<RowCheck> Checks, IEnumerable<string> Watched)[]
        {
            ("orders", OrdersEntity.Plan.Definition.Checks, OrdersEntity.Plan.Watched.Select(f => f.Name)),
            ("orders with items", OrdersEntity.PlanWithItems.Definition.Checks, OrdersEntity.PlanWithItems.Watched.Select(f => f.Name)),
        };
        Assert.Contains(plans, p => p.Checks.Any(c => c.OnlyWhenGiven is not null));
        foreach (var (entity, checks, watched) in plans)
        {
            foreach (var check in checks.Where(c => c.OnlyWhenGiven is not null))
            {
                // The condition is a conjunction that starts with the field's presence: without the field it is false.
                Assert.Matches($@"^\s*(t\.\w+ AND )*t\.{check.OnlyWhenGiven} IS NOT NULL AND ", check.FailsWhen);
                Assert.Contains(check.OnlyWhenGiven, watched);
            }
        }
    }

    [Fact]
    public void A_batch_without_invoices_leaves_out_the_invoice_checks_and_the_others_keep_their_numbers()
    {
        var plan = OrdersEntity.Plan;
        var numbers = plan.Definition.Checks.Select((c, i) => (c, i)).ToList();

        var without = plan.CheckOf(new HashSet<string>());
        // Every field some check waits for (invoice_id, previous_shop_code): then every check runs.
        var with = plan.CheckOf(plan.Definition.Checks.Select(c => c.OnlyWhenGiven).OfType<string>().ToHashSet());

        Assert.Equal(plan.Check, with);
        Assert.Equal(numbers.Where(n => n.c.OnlyWhenGiven is null).Select(n => n.i), CheckNumbers(without));
        Assert.Equal(numbers.Select(n => n.i), CheckNumbers(with));
        Assert.DoesNotContain("dw.fact_accounts_receivable", without, StringComparison.Ordinal);
    }

    [Fact]
    public void A_check_waiting_for_a_field_the_entity_does_not_have_is_refused_rather_than_never_run()
    {
        var definition = OrdersEntity.Plan.Definition;
        var misnamed = definition with
        {
            Checks = [.. definition.Checks, new RowCheck("invoice_id", "t.invoice_no IS NOT NULL AND true", "'never'") { OnlyWhenGiven = "invoice_no" }],
        };

        var error = Assert.Throws<ArgumentException>(() => new IngestPlan<Erp.Db.Ingest.OrderRow>("orders", misnamed));
        Assert.Contains("'invoice_no'", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<int> CheckNumbers(string sql) =>
        CheckNumber().Matches(sql).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\(SELECT (\d+) AS check_no")]
    private static partial Regex CheckNumber();
}

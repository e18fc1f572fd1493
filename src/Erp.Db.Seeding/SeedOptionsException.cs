namespace Erp.Db.Seeding;

/// <summary>The seed options are out of range, or put days of the range outside the warehouse's business dates.</summary>
/// <param name="problems">One problem per option, each naming it.</param>
public sealed class SeedOptionsException(IReadOnlyList<SeedOptionProblem> problems)
    : ArgumentException(string.Join(" ", problems.Select(p => p.Message)), "options")
{
    /// <summary>One problem per option, each naming it as erpdb seed spells it.</summary>
    public IReadOnlyList<SeedOptionProblem> Problems { get; } = problems;
}

namespace Erp.Db.Queries.Targets;

/// <summary>A merchant's sales targets and their achievement (<c>erpdb targets</c>), over the reader view <c>mart.targets</c>.</summary>
public sealed record TargetQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>Which page: latest period first.</summary>
    public Paging Paging { get; init; } = new(1, 50);
}

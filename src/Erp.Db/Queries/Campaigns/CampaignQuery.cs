namespace Erp.Db.Queries.Campaigns;

/// <summary>A merchant's campaigns with GMV against target and ROI (<c>erpdb campaigns</c>), over the reader view <c>mart.campaigns</c>.</summary>
public sealed record CampaignQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>Which page: latest start first.</summary>
    public Paging Paging { get; init; } = new(1, 50);
}

namespace Erp.Db.Queries.Campaigns;

/// <summary>Campaign totals and a page of campaigns.</summary>
/// <param name="Totals">Sums over every campaign (cancelled ones are not computed).</param>
/// <param name="Campaigns">The page, latest start first.</param>
public sealed record CampaignReport(CampaignTotals Totals, PagedResult<CampaignRow> Campaigns);

/// <summary>Sums over the campaigns, CNY.</summary>
public sealed record CampaignTotals
{
    /// <summary>Campaigns.</summary>
    public long Count { get; init; }

    /// <summary>Their Revenue target (GMV of valid orders)s.</summary>
    public decimal TargetRevenue { get; init; }

    /// <summary>Revenue (GMV of valid orders) in their windows and scopes.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Their budgets.</summary>
    public decimal Budget { get; init; }

    /// <summary>Gross profit in their windows and scopes.</summary>
    public decimal GrossProfit { get; init; }
}

/// <summary>One campaign and its result, as last recomputed (after each due refresh and on every change of the campaigns).</summary>
public sealed record CampaignRow
{
    /// <summary>Campaign id.</summary>
    public long CampaignId { get; init; }

    /// <summary>Campaign code.</summary>
    public string Code { get; init; } = "";

    /// <summary>Campaign name.</summary>
    public string Name { get; init; } = "";

    /// <summary>promotion, flash_sale, festival, clearance, new_launch, livestream or other.</summary>
    public string? Type { get; init; }

    /// <summary>planned, active or finished.</summary>
    public string? Status { get; init; }

    /// <summary>The shop it is limited to; null for every shop.</summary>
    public long? ShopId { get; init; }

    /// <summary>That shop's name.</summary>
    public string? ShopName { get; init; }

    /// <summary>The platform it is limited to (its code, e.g. shopee); null for every platform.</summary>
    public string? Platform { get; init; }

    /// <summary>First day.</summary>
    public DateOnly Start { get; init; }

    /// <summary>Last day.</summary>
    public DateOnly End { get; init; }

    /// <summary>GMV target; null when none.</summary>
    public decimal? TargetRevenue { get; init; }

    /// <summary>Revenue (GMV of valid orders) in the window and scope.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Revenue / target; null without a positive target.</summary>
    public decimal? AchievementRate { get; init; }

    /// <summary>Budget; null when none.</summary>
    public decimal? Budget { get; init; }

    /// <summary>Gross profit of valid sales in the window and scope.</summary>
    public decimal GrossProfit { get; init; }

    /// <summary>(gross profit - budget) / budget; null without a positive budget.</summary>
    public decimal? Roi { get; init; }

    /// <summary>Valid orders in the window and scope.</summary>
    public long Orders { get; init; }

    /// <summary>When it was computed.</summary>
    public DateTimeOffset ComputedAt { get; init; }
}

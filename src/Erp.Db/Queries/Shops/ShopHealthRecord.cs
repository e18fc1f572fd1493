namespace Erp.Db.Queries.Shops;

/// <summary>A row of sql/queries/shops.sql as Dapper reads it (flat), turned into a <see cref="ShopHealthRow"/>.</summary>
internal sealed record ShopHealthRecord
{
    public long ShopId { get; init; }

    public string ShopName { get; init; } = "";

    public string Platform { get; init; } = "";

    public decimal? Score { get; init; }

    public int? HealthRank { get; init; }

    public int RevenueRank { get; init; }

    public int ProfitRank { get; init; }

    public long Orders { get; init; }

    public decimal Revenue { get; init; }

    public decimal GrossProfit { get; init; }

    public decimal PreviousRevenue { get; init; }

    public decimal? SalesGrowth { get; init; }

    public decimal? SalesGrowthScore { get; init; }

    public decimal SalesGrowthWeight { get; init; }

    public decimal? GrossMargin { get; init; }

    public decimal? GrossMarginScore { get; init; }

    public decimal GrossMarginWeight { get; init; }

    public decimal? FulfilmentHours { get; init; }

    public decimal? FulfilmentScore { get; init; }

    public decimal FulfilmentWeight { get; init; }

    public decimal? ReturnRate { get; init; }

    public decimal? ReturnRateScore { get; init; }

    public decimal ReturnRateWeight { get; init; }

    public decimal? StockOutRate { get; init; }

    public decimal? StockOutScore { get; init; }

    public decimal StockOutWeight { get; init; }

    public long? ConfigId { get; init; }

    public DateTime ComputedAt { get; init; }

    public ShopHealthRow ToRow() => new()
    {
        ShopId = ShopId,
        Name = ShopName,
        Platform = Platform,
        Score = Score,
        HealthRank = HealthRank,
        RevenueRank = RevenueRank,
        ProfitRank = ProfitRank,
        Orders = Orders,
        Revenue = Revenue,
        GrossProfit = GrossProfit,
        PreviousRevenue = PreviousRevenue,
        Components = new ShopHealthComponents
        {
            SalesGrowth = new(SalesGrowth, SalesGrowthScore, SalesGrowthWeight),
            GrossMargin = new(GrossMargin, GrossMarginScore, GrossMarginWeight),
            FulfilmentHours = new(FulfilmentHours, FulfilmentScore, FulfilmentWeight),
            ReturnRate = new(ReturnRate, ReturnRateScore, ReturnRateWeight),
            StockOutRate = new(StockOutRate, StockOutScore, StockOutWeight),
        },
        ConfigId = ConfigId,
        ComputedAt = new DateTimeOffset(DateTime.SpecifyKind(ComputedAt, DateTimeKind.Utc)),
    };
}

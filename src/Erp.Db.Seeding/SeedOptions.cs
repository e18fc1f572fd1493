namespace Erp.Db.Seeding;

/// <summary>
/// What demo data to generate and how to load it. Immutable; the same options (and the same
/// <see cref="RandomSeed"/>) always generate the same data.
/// </summary>
public sealed record SeedOptions
{
    /// <summary>Largest accepted <see cref="Orders"/>.</summary>
    public const int MaxOrders = 50_000_000;

    /// <summary>Largest accepted <see cref="Days"/> (about ten years).</summary>
    public const int MaxDays = 3_660;

    /// <summary>Number of sales orders over all merchants. Default 100,000.</summary>
    public int Orders { get; init; } = 100_000;

    /// <summary>Length of the date range in days, ending at <see cref="EndDate"/>. Default 365.</summary>
    public int Days { get; init; } = 365;

    /// <summary>Last day of the range (the merchants' business day); default the day before the database's today (<c>CURRENT_DATE</c>, docs/today.md), set by <see cref="Seeder.SeedAsync"/>.</summary>
    public DateOnly? EndDate { get; init; }

    /// <summary>Number of merchants (tenants). Default 2.</summary>
    public int Merchants { get; init; } = 2;

    /// <summary>Shops per merchant, spread over the platforms (Shopee, TikTok, Amazon, Lazada, ...). Default 4.</summary>
    public int ShopsPerMerchant { get; init; } = 4;

    /// <summary>Products per merchant; default <c>null</c> scales with <see cref="Orders"/> (see <see cref="ResolveProductsPerMerchant"/>).</summary>
    public int? ProductsPerMerchant { get; init; }

    /// <summary>Seed of the pseudo-random generator; equal seeds give equal data. Default 42.</summary>
    public int RandomSeed { get; init; } = 42;

    /// <summary>What to do when the database already holds warehouse data. Default: refuse.</summary>
    public ExistingDataPolicy ExistingData { get; init; } = ExistingDataPolicy.Refuse;

    /// <summary>
    /// Whether the seeder runs the due refresh (<c>ops.refresh_due</c>) after the load, so the
    /// views show the seeded data at once. Default true; turn off to refresh on your own schedule.
    /// </summary>
    public bool RefreshViews { get; init; } = true;

    /// <summary>The last day of the range: <see cref="EndDate"/> or, when none is set (the seeder sets it from the database), yesterday (UTC).</summary>
    public DateOnly ResolveEndDate() => EndDate ?? DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

    /// <summary>The first day of the range: <see cref="ResolveEndDate"/> minus <see cref="Days"/> - 1.</summary>
    public DateOnly ResolveStartDate() => ResolveEndDate().AddDays(1 - Days);

    /// <summary>Products per merchant: <see cref="ProductsPerMerchant"/>, else 3 x sqrt(orders) clamped to 30..20,000.</summary>
    public int ResolveProductsPerMerchant() =>
        ProductsPerMerchant ?? (int)Math.Clamp(Math.Round(3 * Math.Sqrt(Orders)), 30, 20_000);

    /// <summary>Checks every value's range; returns one problem per value out of range (empty when valid).</summary>
    public IReadOnlyList<SeedOptionProblem> Validate()
    {
        var problems = new List<SeedOptionProblem>();
        void Check(bool outOfRange, string option, string range, object? value)
        {
            if (outOfRange)
            {
                problems.Add(new SeedOptionProblem(option, $"{option} must be between {range}; got {value}."));
            }
        }
        Check(Orders is < 1 or > MaxOrders, "--orders", $"1 and {MaxOrders:N0}", Orders);
        Check(Days is < 1 or > MaxDays, "--days", $"1 and {MaxDays}", Days);
        Check(Merchants is < 1 or > 100, "--merchants", "1 and 100", Merchants);
        Check(ShopsPerMerchant is < 1 or > 50, "--shops", "1 and 50", ShopsPerMerchant);
        Check(ProductsPerMerchant is < 5 or > 1_000_000, "--products", "5 and 1,000,000", ProductsPerMerchant);
        return problems;
    }
}

/// <summary>A seed option out of range: the option as erpdb seed spells it, and a sentence saying what it must be.</summary>
/// <param name="Option">The option, e.g. <c>--orders</c>.</param>
/// <param name="Message">What is wrong, e.g. "--orders must be between 1 and 50,000,000; got -5."</param>
public sealed record SeedOptionProblem(string Option, string Message);

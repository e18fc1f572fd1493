namespace Erp.Db.Seeding.Generation;

/// <summary>How busy a day is: weekly rhythm, shopping festivals (6.18, 11.11, Black Friday, 12.12) and December.</summary>
internal static class DemandCalendar
{
    private static readonly double[] WeekdayFactor = [1.25, 0.92, 0.90, 0.93, 0.97, 1.05, 1.30]; // Sunday .. Saturday

    public static double Weight(DateOnly day)
    {
        var weight = WeekdayFactor[(int)day.DayOfWeek] * SeasonFactor(day);
        return weight * EventFactor(day);
    }

    /// <summary>True on festival days, when prices are discounted.</summary>
    public static bool IsPromotion(DateOnly day) => EventFactor(day) > 1.4;

    private static double SeasonFactor(DateOnly day) => day.Month switch
    {
        1 => 0.9,
        2 => 0.82,
        7 or 8 => 0.95,
        12 when day.Day <= 24 => 1.3,
        12 => 1.0,
        _ => 1.0,
    };

    private static double EventFactor(DateOnly day)
    {
        var blackFriday = BlackFriday(day.Year);
        return (day.Month, day.Day) switch
        {
            (11, 11) => 4.0,
            (11, 10) or (11, 12) => 1.6,
            (12, 12) => 2.5,
            (6, 18) => 2.2,
            (6, 17) => 1.5,
            _ when day == blackFriday => 3.0,
            _ when day == blackFriday.AddDays(3) => 2.2,
            _ when day > blackFriday && day < blackFriday.AddDays(3) => 1.5,
            _ => 1.0,
        };
    }

    /// <summary>
    /// The year's festivals as campaign windows: the days <see cref="EventFactor"/> raises above a promotion's, in date order.
    /// The demo's campaigns (dw.cfg_sales_campaigns) run over them.
    /// </summary>
    public static IEnumerable<Festival> Festivals(int year)
    {
        var blackFriday = BlackFriday(year);
        yield return new("618", "6.18 mid-year sale", "festival", new DateOnly(year, 6, 17), new DateOnly(year, 6, 18));
        yield return new("D11", "Double 11", "festival", new DateOnly(year, 11, 10), new DateOnly(year, 11, 12));
        yield return new("BFCM", "Black Friday to Cyber Monday", "promotion", blackFriday, blackFriday.AddDays(3));
        yield return new("D12", "Double 12", "flash_sale", new DateOnly(year, 12, 12), new DateOnly(year, 12, 12));
    }

    /// <summary>The day after the fourth Thursday of November.</summary>
    private static DateOnly BlackFriday(int year)
    {
        var first = new DateOnly(year, 11, 1);
        var firstThursday = first.AddDays(((int)DayOfWeek.Thursday - (int)first.DayOfWeek + 7) % 7);
        return firstThursday.AddDays(22);
    }
}

/// <summary>A shopping festival's window.</summary>
/// <param name="Code">Short code, unique within a year.</param>
/// <param name="Name">Its name.</param>
/// <param name="CampaignType">The campaign type a merchant runs for it (dw.cfg_sales_campaigns.campaign_type).</param>
/// <param name="Start">First day.</param>
/// <param name="End">Last day.</param>
internal sealed record Festival(string Code, string Name, string CampaignType, DateOnly Start, DateOnly End);

using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>user-activity: file columns of <see cref="UserActivityRow"/>.</summary>
internal static class UserActivityCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<UserActivityRow>("user-activity", "dw.fact_user_activity",
    [
        .. KeyColumns.Merchant,
        .. KeyColumns.Shop,
        new("activity_date", true, "yyyy-mm-dd"),
        new("active_users", false, "default 0"),
        new("new_users", false, "default 0"),
        new("returning_users", false, "default 0"),
        new("paying_users", false, "default 0"),
        new("sessions", false, "default 0"),
        new("avg_session_seconds", false, ""),
        new("page_views", false, "default 0"),
        new("retention_d1", false, "0..1"),
        new("retention_d7", false, "0..1"),
        new("retention_d30", false, "0..1"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertUserActivityAsync(rows, ct));

    private static UserActivityRow Map(CsvRecord r)
    {
        var row = new UserActivityRow(r.LongOrNull("merchant_id") ?? 0, r.LongOrNull("shop_id") ?? 0, r.Date("activity_date"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            ShopCode = r.TextOrNull("shop_code"),
            ActiveUsers = r.IntOrNull("active_users") ?? row.ActiveUsers,
            NewUsers = r.IntOrNull("new_users") ?? row.NewUsers,
            ReturningUsers = r.IntOrNull("returning_users") ?? row.ReturningUsers,
            PayingUsers = r.IntOrNull("paying_users") ?? row.PayingUsers,
            Sessions = r.IntOrNull("sessions") ?? row.Sessions,
            AvgSessionSeconds = r.DecimalOrNull("avg_session_seconds"),
            PageViews = r.IntOrNull("page_views") ?? row.PageViews,
            RetentionD1 = r.DecimalOrNull("retention_d1"),
            RetentionD7 = r.DecimalOrNull("retention_d7"),
            RetentionD30 = r.DecimalOrNull("retention_d30"),
        };
    }
}

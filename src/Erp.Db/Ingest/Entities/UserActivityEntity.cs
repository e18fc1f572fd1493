using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>User activity per shop and day into dw.fact_user_activity, keyed (merchant_id, shop_id, activity_date).</summary>
internal static class UserActivityEntity
{
    public static readonly IngestPlan<UserActivityRow> Plan = new("user-activity", new EntityDefinition<UserActivityRow>
    {
        Table = "dw.fact_user_activity",
        Fields =
        [
            Field.Id<UserActivityRow>("merchant_id", r => r.MerchantId),
            Field.Text<UserActivityRow>("merchant_code", r => r.MerchantCode),
            Field.Id<UserActivityRow>("shop_id", r => r.ShopId),
            Field.Text<UserActivityRow>("shop_code", r => r.ShopCode),
            Field.Date<UserActivityRow>("activity_date", r => r.ActivityDate),
            Field.Integer<UserActivityRow>("active_users", r => r.ActiveUsers),
            Field.Integer<UserActivityRow>("new_users", r => r.NewUsers),
            Field.Integer<UserActivityRow>("returning_users", r => r.ReturningUsers),
            Field.Integer<UserActivityRow>("paying_users", r => r.PayingUsers),
            Field.Integer<UserActivityRow>("sessions", r => r.Sessions),
            Field.Numeric<UserActivityRow>("avg_session_seconds", r => r.AvgSessionSeconds),
            Field.Integer<UserActivityRow>("page_views", r => r.PageViews),
            Field.Numeric<UserActivityRow>("retention_d1", r => r.RetentionD1),
            Field.Numeric<UserActivityRow>("retention_d7", r => r.RetentionD7),
            Field.Numeric<UserActivityRow>("retention_d30", r => r.RetentionD30),
        ],
        KeyFields = ["merchant_id", "shop_id", "activity_date"],
        Columns = [.. new[] { "merchant_id", "shop_id", "activity_date", "active_users", "new_users", "returning_users", "paying_users", "sessions", "avg_session_seconds", "page_views", "retention_d1", "retention_d7", "retention_d30" }.Select(TargetColumn.Same)],
        ConflictColumns = ["merchant_id", "shop_id", "activity_date"],
        Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveShop],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            .. NaturalKeys.Shop("fact_user_activity_shop_fkey"),
            RowCheck.BusinessDate("activity_date"),
        ],
    });
}

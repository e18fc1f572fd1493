using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.fact_user_activity.</summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="ShopId">Shop.</param>
/// <param name="ActivityDate">Day.</param>
/// <param name="ActiveUsers">Daily active users.</param>
/// <param name="NewUsers">New users (new + returning is at most active).</param>
/// <param name="ReturningUsers">Returning users.</param>
/// <param name="PayingUsers">Users who paid (at most active).</param>
/// <param name="Sessions">Sessions.</param>
/// <param name="AvgSessionSeconds">Average session length.</param>
/// <param name="PageViews">Page views.</param>
/// <param name="RetentionD1">Share of the day's new users back a day later; null until known.</param>
/// <param name="RetentionD7">Same, 7 days later.</param>
/// <param name="RetentionD30">Same, 30 days later.</param>
internal sealed record UserActivityRow(
    long MerchantId, long ShopId, DateOnly ActivityDate, int ActiveUsers, int NewUsers, int ReturningUsers, int PayingUsers,
    int Sessions, decimal AvgSessionSeconds, int PageViews, decimal? RetentionD1, decimal? RetentionD7, decimal? RetentionD30)
    : ICopyRow<UserActivityRow>
{
    static string ICopyRow<UserActivityRow>.Table => "dw.fact_user_activity";

    static string ICopyRow<UserActivityRow>.CopyCommand =>
        "COPY dw.fact_user_activity (merchant_id, shop_id, activity_date, active_users, new_users, returning_users, paying_users, "
        + "sessions, avg_session_seconds, page_views, retention_d1, retention_d7, retention_d30) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<UserActivityRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ShopId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ActivityDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(ActiveUsers, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(NewUsers, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(ReturningUsers, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(PayingUsers, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(Sessions, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(AvgSessionSeconds, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(PageViews, NpgsqlDbType.Integer, ct);
        await w.WriteNullableAsync(RetentionD1, NpgsqlDbType.Numeric, ct);
        await w.WriteNullableAsync(RetentionD7, NpgsqlDbType.Numeric, ct);
        await w.WriteNullableAsync(RetentionD30, NpgsqlDbType.Numeric, ct);
    }
}

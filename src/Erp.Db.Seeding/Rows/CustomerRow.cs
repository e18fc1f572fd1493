using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.dim_customers.</summary>
/// <param name="CustomerId">Key.</param>
/// <param name="MerchantId">Owner.</param>
/// <param name="CustomerCode">Platform buyer id (pseudonymous).</param>
/// <param name="CustomerName">Display name.</param>
/// <param name="FirstOrderDate">Day of the first order, null when the customer never ordered.</param>
/// <param name="UserLevelId">Membership level (dw.dim_user_levels).</param>
/// <param name="RegionId">Region (dw.dim_regions) for customers in China, else null.</param>
/// <param name="ChannelId">Acquisition channel (dw.dim_channels).</param>
/// <param name="CountryCode">Country of the customer.</param>
internal sealed record CustomerRow(long CustomerId, long MerchantId, string CustomerCode, string CustomerName, DateOnly? FirstOrderDate, short UserLevelId, int? RegionId, short ChannelId, string CountryCode)
    : ICopyRow<CustomerRow>
{
    static string ICopyRow<CustomerRow>.Table => "dw.dim_customers";

    static string ICopyRow<CustomerRow>.CopyCommand =>
        "COPY dw.dim_customers (customer_id, merchant_id, customer_code, customer_name, first_order_date, user_level_id, region_id, channel_id, country_code) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<CustomerRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(CustomerId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(CustomerCode, NpgsqlDbType.Text, ct);
        await w.WriteAsync(CustomerName, NpgsqlDbType.Text, ct);
        await w.WriteNullableAsync(FirstOrderDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(UserLevelId, NpgsqlDbType.Smallint, ct);
        await w.WriteNullableAsync(RegionId, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(ChannelId, NpgsqlDbType.Smallint, ct);
        await w.WriteAsync(CountryCode, NpgsqlDbType.Char, ct);
    }
}

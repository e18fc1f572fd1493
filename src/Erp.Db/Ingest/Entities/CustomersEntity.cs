using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Customers into dw.dim_customers, keyed (merchant_id, customer_code); level, region and channel by their codes.</summary>
internal static class CustomersEntity
{
    public static readonly IngestPlan<CustomerMasterRow> Plan = new("customers", new EntityDefinition<CustomerMasterRow>
    {
        Table = "dw.dim_customers",
        Fields =
        [
            Field.Id<CustomerMasterRow>("merchant_id", r => r.MerchantId),
            Field.Text<CustomerMasterRow>("merchant_code", r => r.MerchantCode),
            Field.Text<CustomerMasterRow>("customer_code", r => r.CustomerCode),
            Field.Text<CustomerMasterRow>("customer_name", r => r.CustomerName),
            Field.Date<CustomerMasterRow>("first_order_date", r => r.FirstOrderDate),
            Field.Text<CustomerMasterRow>("user_level", r => r.UserLevel),
            Field.Text<CustomerMasterRow>("region", r => r.Region),
            Field.Text<CustomerMasterRow>("channel", r => r.Channel),
            Field.Text<CustomerMasterRow>("country_code", r => r.CountryCode),
        ],
        KeyFields = ["merchant_id", "customer_code"],
        Joins = """

                LEFT JOIN dw.dim_user_levels AS l ON l.level_code = t.user_level
                LEFT JOIN dw.dim_regions AS g ON g.region_code = t.region
                LEFT JOIN dw.dim_channels AS ch ON ch.channel_code = t.channel
            """,
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            TargetColumn.Same("customer_code"),
            TargetColumn.Same("customer_name"),
            TargetColumn.Same("first_order_date"),
            new("user_level_id", "l.user_level_id", ["user_level"]),
            new("region_id", "g.region_id", ["region"]),
            new("channel_id", "ch.channel_id", ["channel"]),
            TargetColumn.Same("country_code"),
        ],
        ConflictColumns = ["merchant_id", "customer_code"],
        Resolve = [NaturalKeys.ResolveMerchant],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("customer_code"),
            References.Code("user_level", "dw.dim_user_levels", "level_code", "dim_customers_user_level_id_fkey"),
            References.Code("region", "dw.dim_regions", "region_code", "dim_customers_region_id_fkey"),
            References.Code("channel", "dw.dim_channels", "channel_code", "dim_customers_channel_id_fkey"),
        ],
    });
}

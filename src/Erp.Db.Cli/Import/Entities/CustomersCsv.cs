using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>customers: file columns of <see cref="CustomerMasterRow"/>.</summary>
internal static class CustomersCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<CustomerMasterRow>("customers", "dw.dim_customers",
    [
        .. KeyColumns.Merchant,
        new("customer_code", true, "the buyer's code (the key)"),
        new("customer_name", false, ""),
        new("first_order_date", false, "yyyy-mm-dd"),
        new("user_level", false, "normal, gold, platinum, diamond"),
        new("region", false, "region code, e.g. cn_east"),
        new("channel", false, "app, mini_program, h5, pc, unknown"),
        new("country_code", false, ""),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertCustomersAsync(rows, ct));

    private static CustomerMasterRow Map(CsvRecord r)
    {
        var row = new CustomerMasterRow(r.LongOrNull("merchant_id") ?? 0, r.Text("customer_code"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            CustomerName = r.TextOrNull("customer_name"),
            FirstOrderDate = r.DateOrNull("first_order_date"),
            UserLevel = r.TextOrNull("user_level"),
            Region = r.TextOrNull("region"),
            Channel = r.TextOrNull("channel"),
            CountryCode = r.TextOrNull("country_code"),
        };
    }
}

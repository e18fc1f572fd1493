using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.fact_accounts_receivable: one platform settlement of a shop's completed orders of one week.</summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="ReceivableId">Key (with merchant).</param>
/// <param name="ShopId">Shop settled.</param>
/// <param name="InvoiceNo">Settlement invoice number, unique per merchant.</param>
/// <param name="CurrencyCode">Currency of the amounts.</param>
/// <param name="ExchangeRate">CNY per unit on the invoice date.</param>
/// <param name="Amount">Amount due.</param>
/// <param name="ReceivedAmount">Received so far.</param>
/// <param name="InvoiceDate">Invoice day.</param>
/// <param name="DueDate">Due day.</param>
/// <param name="Status">open, partially_paid, paid or overdue.</param>
/// <param name="SettledAt">When it was paid in full.</param>
internal sealed record ReceivableRow(
    long MerchantId, long ReceivableId, long ShopId, string InvoiceNo, string CurrencyCode, decimal ExchangeRate, decimal Amount,
    decimal ReceivedAmount, DateOnly InvoiceDate, DateOnly DueDate, string Status, DateTime? SettledAt)
    : ICopyRow<ReceivableRow>
{
    static string ICopyRow<ReceivableRow>.Table => "dw.fact_accounts_receivable";

    static string ICopyRow<ReceivableRow>.CopyCommand =>
        "COPY dw.fact_accounts_receivable (merchant_id, receivable_id, shop_id, invoice_no, currency_code, exchange_rate, amount, "
        + "received_amount, invoice_date, due_date, status, settled_at) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<ReceivableRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ReceivableId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ShopId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(InvoiceNo, NpgsqlDbType.Text, ct);
        await w.WriteAsync(CurrencyCode, NpgsqlDbType.Char, ct);
        await w.WriteAsync(ExchangeRate, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(Amount, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(ReceivedAmount, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(InvoiceDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(DueDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(Status, NpgsqlDbType.Text, ct);
        await w.WriteNullableAsync(SettledAt, NpgsqlDbType.TimestampTz, ct);
    }
}

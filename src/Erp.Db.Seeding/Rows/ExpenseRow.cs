using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.fact_expenses.</summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="ExpenseId">Key (with merchant).</param>
/// <param name="ExpenseDate">Day.</param>
/// <param name="ShopId">Shop, null for merchant-wide costs.</param>
/// <param name="Category">advertising, logistics, salary, rent, ...</param>
/// <param name="Description">What it was.</param>
/// <param name="CurrencyCode">Currency.</param>
/// <param name="ExchangeRate">CNY per unit that day.</param>
/// <param name="Amount">Amount.</param>
/// <param name="OrderId">Order it was extracted from (refunds).</param>
/// <param name="OrderDate">That order's day.</param>
/// <param name="Vendor">Who was paid.</param>
/// <param name="ReferenceNo">Bill number, unique per merchant.</param>
internal sealed record ExpenseRow(
    long MerchantId, long ExpenseId, DateOnly ExpenseDate, long? ShopId, string Category, string Description, string CurrencyCode,
    decimal ExchangeRate, decimal Amount, long? OrderId, DateOnly? OrderDate, string Vendor, string ReferenceNo)
    : ICopyRow<ExpenseRow>
{
    static string ICopyRow<ExpenseRow>.Table => "dw.fact_expenses";

    static string ICopyRow<ExpenseRow>.CopyCommand =>
        "COPY dw.fact_expenses (merchant_id, expense_id, expense_date, shop_id, category, description, currency_code, exchange_rate, "
        + "amount, order_id, order_date, vendor, reference_no) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<ExpenseRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ExpenseId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ExpenseDate, NpgsqlDbType.Date, ct);
        await w.WriteNullableAsync(ShopId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(Category, NpgsqlDbType.Text, ct);
        await w.WriteAsync(Description, NpgsqlDbType.Text, ct);
        await w.WriteAsync(CurrencyCode, NpgsqlDbType.Char, ct);
        await w.WriteAsync(ExchangeRate, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(Amount, NpgsqlDbType.Numeric, ct);
        await w.WriteNullableAsync(OrderId, NpgsqlDbType.Bigint, ct);
        await w.WriteNullableAsync(OrderDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(Vendor, NpgsqlDbType.Text, ct);
        await w.WriteAsync(ReferenceNo, NpgsqlDbType.Text, ct);
    }
}

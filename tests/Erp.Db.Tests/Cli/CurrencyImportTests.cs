using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// Files without a currency_code or exchange_rate column, through <c>erpdb import</c>: a stored row keeps its currency and takes
/// that currency's rate; a new row takes its shop's (a payment its receivable's) currency and the rate of its date. Before, a USD
/// order re-imported without currency_code dropped to rate 1, and a payment without it was refused as CNY.
/// </summary>
public class CurrencyImportTests
{
    private const string OrdersHeader = "merchant_code,shop_code,order_no,order_date,ordered_at,gmv";

    [Fact]
    public async Task A_USD_order_reimported_without_currency_code_keeps_its_currency_and_rate()
    {
        await using var db = await CurrencyIngestTests.CreateAsync();
        var first = await WriteAsync(OrdersHeader + ",currency_code", "m-a,a-shopee,S-1,2026-03-05,2026-03-05T10:00:00+08:00,100,USD");
        var again = await WriteAsync(OrdersHeader, "m-a,a-shopee,S-1,2026-03-05,2026-03-05T10:00:00+08:00,120");
        await ImportAsync(db, "orders", first);

        var run = await ImportAsync(db, "orders", again);

        Assert.Equal(1, run.Json().GetProperty("data").GetProperty("updated").GetInt32());
        Assert.Equal("USD 7.20000000 864.00", await db.ScalarAsync<string>(
            "SELECT concat_ws(' ', currency_code, exchange_rate, gmv_cny) FROM dw.fact_sales_orders WHERE order_no = 'S-1'"));
        Assert.True(await db.ScalarAsync<bool>(
            $"SELECT gmv_cny = round(gmv * {CurrencyIngestTests.RateOf("'USD'", "order_date")}, 2) FROM dw.fact_sales_orders WHERE order_no = 'S-1'"));
        Delete(first, again);
    }

    [Fact]
    public async Task A_new_order_in_a_USD_shop_without_currency_code_is_USD_at_the_rate_of_its_day()
    {
        await using var db = await CurrencyIngestTests.CreateAsync();
        var noColumn = await WriteAsync(OrdersHeader, "m-a,a-amazon,U-1,2026-03-05,2026-03-05T10:00:00+08:00,100");
        var blank = await WriteAsync(OrdersHeader + ",currency_code,exchange_rate",
            "m-a,a-amazon,U-2,2026-03-06,2026-03-06T10:00:00+08:00,100,,",
            "m-a,a-shopee,C-1,2026-03-06,2026-03-06T10:00:00+08:00,100,,");

        await ImportAsync(db, "orders", noColumn);
        await ImportAsync(db, "orders", blank);

        Assert.Equal("C-1 CNY 1.00000000 100.00|U-1 USD 7.20000000 720.00|U-2 USD 7.30000000 730.00", await db.ScalarAsync<string>(
            "SELECT string_agg(concat_ws(' ', order_no, currency_code, exchange_rate, gmv_cny), '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no IN ('U-1', 'U-2', 'C-1')"));
        Delete(noColumn, blank);
    }

    [Fact]
    public async Task A_payment_without_currency_code_settles_its_USD_receivable_at_the_rate_of_its_day()
    {
        await using var db = await CurrencyIngestTests.CreateAsync();
        var orders = await WriteAsync(OrdersHeader + ",status,is_invoiced,invoice_id",
            "m-a,a-amazon,U-1,2026-03-05,2026-03-05T10:00:00+08:00,100,completed,true,INV-U");
        var payments = await WriteAsync("merchant_code,reference_no,receipt_date,received_at,amount,order_no",
            "m-a,TX-1,2026-03-06,2026-03-06T10:00:00+08:00,40,U-1");
        await ImportAsync(db, "orders", orders);

        await ImportAsync(db, "payments", payments);
        var again = await ImportAsync(db, "payments", payments);

        Assert.Equal(1, again.Json().GetProperty("data").GetProperty("unchanged").GetInt32());
        Assert.Equal("TX-1 USD 7.30000000 292.00", await db.ScalarAsync<string>(
            "SELECT concat_ws(' ', reference_no, currency_code, exchange_rate, amount_cny) FROM dw.fact_payment_receipts"));
        Assert.True(await db.ScalarAsync<bool>(
            $"SELECT amount_cny = round(amount * {CurrencyIngestTests.RateOf("'USD'", "receipt_date")}, 2) FROM dw.fact_payment_receipts"));
        Assert.Equal("INV-U USD 40.00 60.00", await db.ScalarAsync<string>(
            "SELECT concat_ws(' ', invoice_no, currency_code, received_amount, outstanding_amount) FROM dw.fact_accounts_receivable"));
        Delete(orders, payments);
    }

    [Fact]
    public async Task A_USD_receivable_with_payments_reimported_without_currency_code_is_restated_in_USD()
    {
        await using var db = await CurrencyIngestTests.CreateAsync();
        var receivables = await WriteAsync("merchant_code,invoice_no,invoice_date,due_date,amount,currency_code",
            "m-a,INV-1,2026-03-05,2026-04-05,100,USD");
        var payments = await WriteAsync("merchant_code,reference_no,receipt_date,received_at,amount,invoice_no",
            "m-a,TX-1,2026-03-06,2026-03-06T10:00:00+08:00,30,INV-1");
        var restated = await WriteAsync("merchant_code,invoice_no,invoice_date,due_date,amount", "m-a,INV-1,2026-03-05,2026-04-05,90");
        await ImportAsync(db, "receivables", receivables);
        await ImportAsync(db, "payments", payments);

        var run = await ImportAsync(db, "receivables", restated);

        Assert.Equal(1, run.Json().GetProperty("data").GetProperty("updated").GetInt32());
        Assert.Equal("USD 7.20000000 648.00 30.00|USD 7.30000000 219.00", await db.ScalarAsync<string>("""
            SELECT concat_ws(' ', r.currency_code, r.exchange_rate, r.amount_cny, r.received_amount) || '|' || concat_ws(' ', p.currency_code, p.exchange_rate, p.amount_cny)
            FROM dw.fact_accounts_receivable AS r JOIN dw.fact_payment_receipts AS p ON p.receivable_id = r.receivable_id
            """));
        Delete(receivables, payments, restated);
    }

    /// <summary>
    /// A rate missing for a day is added later by importing it (exchange-rates, shared by every merchant): an order imported
    /// before took the day before's rate, and imported again without exchange_rate it takes the added one. Before, rates could
    /// only be written by hand in SQL.
    /// </summary>
    [Fact]
    public async Task A_rate_added_later_by_import_reaches_an_order_imported_again()
    {
        await using var db = await CurrencyIngestTests.CreateAsync();
        var order = await WriteAsync(OrdersHeader, "m-a,a-amazon,U-1,2026-03-05,2026-03-05T10:00:00+08:00,100");
        var rates = await WriteAsync("currency_code,rate_date,rate_to_cny,source", "usd,2026-03-05,7.25,bank", "EUR,2026-03-04,7.75,");
        await ImportAsync(db, "orders", order);
        Assert.Equal("7.20000000", await db.ScalarAsync<string>("SELECT exchange_rate::text FROM dw.fact_sales_orders WHERE order_no = 'U-1'"));

        var added = await ImportAsync(db, "exchange-rates", rates);
        var again = await ImportAsync(db, "exchange-rates", rates);
        await ImportAsync(db, "orders", order);

        Assert.Equal(2, added.Json().GetProperty("data").GetProperty("inserted").GetInt32());
        Assert.Equal(2, again.Json().GetProperty("data").GetProperty("unchanged").GetInt32());
        Assert.Equal("EUR 2026-03-04 7.75000000 manual|USD 2026-03-05 7.25000000 bank", await db.ScalarAsync<string>(
            "SELECT string_agg(concat_ws(' ', currency_code, rate_date, rate_to_cny, source), '|' ORDER BY currency_code) FROM dw.fact_exchange_rates WHERE (currency_code, rate_date) IN (('USD', '2026-03-05'), ('EUR', '2026-03-04'))"));
        Assert.Equal("USD 7.25000000 725.00", await db.ScalarAsync<string>(
            "SELECT concat_ws(' ', currency_code, exchange_rate, gmv_cny) FROM dw.fact_sales_orders WHERE order_no = 'U-1'"));
        Delete(order, rates);
    }

    /// <summary>A rate of an unknown currency, or a CNY rate other than 1, names its line and nothing of the file is saved.</summary>
    [Fact]
    public async Task A_bad_rate_names_its_line_and_saves_nothing()
    {
        await using var db = await CurrencyIngestTests.CreateAsync();
        var rates = await WriteAsync("currency_code,rate_date,rate_to_cny", "USD,2026-03-07,7.3", "XXX,2026-03-07,1", "CNY,2026-03-07,7");

        var run = await CliRun.RunAsync("import", "exchange-rates", rates, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("currency_code XXX is not a known currency", run.Output, StringComparison.Ordinal);
        Assert.Contains("Line 4", run.Output, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_exchange_rates WHERE rate_date = '2026-03-07'"));
        Delete(rates);
    }

    private static async Task<CliRun> ImportAsync(TestDatabase db, string entity, string file)
    {
        var run = await CliRun.RunAsync("import", entity, file, "--connection", db.ConnectionString, "--format", "json");
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return run;
    }

    private static async Task<string> WriteAsync(params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"erpdb-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }

    private static void Delete(params string[] files)
    {
        foreach (var file in files)
        {
            File.Delete(file);
        }
    }
}

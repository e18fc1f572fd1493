using System.Collections;
using System.Reflection;
using CsCheck;
using Dapper;
using Erp.Db.Ingest;
using Erp.Db.Ingest.Engine;
using Erp.Db.Ingest.Entities;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Ingest;

/// <summary>
/// Every entity with amounts in a currency follows one rule: the row's currency, else its shop's (a payment: its receivable's),
/// else CNY; the row's rate, else the rate table's for that currency and the row's date. Before, payments, expenses and product
/// figures without a rate were stored at 1 (20 USD counted as 20 CNY), and a row without a currency was CNY even in a USD shop.
/// </summary>
public class CurrencyIngestTests
{
    /// <summary>A shop of merchant 1 that sells in USD.</summary>
    internal const long UsdShop = 11;

    private static readonly DateOnly Day = new(2026, 3, 5);
    private static readonly DateTimeOffset Noon = new(2026, 3, 5, 12, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The sample warehouse with the USD shop a-amazon and rates of USD (none on 5 March: the 4th's applies) and EUR.</summary>
    internal static async Task<TestDatabase> CreateAsync()
    {
        var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync($"""
            INSERT INTO dw.dim_shops (shop_id, merchant_id, platform_id, platform_shop_code, shop_name, currency_code)
                SELECT {UsdShop}, 1, p.platform_id, 'a-amazon', 'A on Amazon', 'USD' FROM dw.dim_platforms AS p WHERE p.platform_code = 'amazon';
            INSERT INTO dw.fact_exchange_rates (currency_code, rate_date, rate_to_cny)
                VALUES ('USD', '2026-03-03', 7.15), ('USD', '2026-03-04', 7.2), ('USD', '2026-03-06', 7.3), ('EUR', '2026-03-05', 7.8);
            """);
        return db;
    }

    /// <summary>The rate table's rate of a currency on a day, asked of the table itself: the latest on or before it and at most 31 days old, 1 for CNY.</summary>
    internal static string RateOf(string currency, string day) =>
        $"(CASE WHEN {currency} = 'CNY' THEN 1 ELSE (SELECT r.rate_to_cny FROM dw.fact_exchange_rates AS r "
        + $"WHERE r.currency_code = {currency} AND r.rate_date <= {day} AND r.rate_date >= ({day})::date - 31 ORDER BY r.rate_date DESC LIMIT 1) END)";

    [Fact]
    public async Task Payments_expenses_and_product_figures_without_a_rate_take_the_rate_of_their_currency_and_date()
    {
        await using var db = await CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertReceivablesAsync([new(1, "INV-U", Day, Day.AddDays(30), 100m) { ShopId = UsdShop }]);

        await ingest.UpsertPaymentsAsync([
            new(1, "TX-1", Day, Noon, 20m) { InvoiceNo = "INV-U" },
            new(1, "TX-2", Day.AddDays(1), Noon.AddDays(1), 5m) { CurrencyCode = "EUR" },
            new(1, "TX-3", Day, Noon, 8m),
            new(1, "TX-4", Day, Noon, 10m) { CurrencyCode = "USD", ExchangeRate = 7m }]);
        await ingest.UpsertExpensesAsync([
            new(1, "BILL-1", Day.AddDays(1), "advertising", 50m) { ShopId = UsdShop },
            new(1, "BILL-2", Day, "rent", 1000m),
            new(1, "BILL-3", Day, "software", 30m) { CurrencyCode = "USD" }]);
        await ingest.UpsertProductMetricsAsync([
            new(1, UsdShop, IngestSample.Sku, Day) { Price = 10m, SalesAmount = 30m },
            new(1, IngestSample.Shop, IngestSample.Sku, Day) { Price = 10m, SalesAmount = 30m }]);

        Assert.Equal("INV-U USD 7.20000000 720.00", await db.ScalarAsync<string>(
            "SELECT concat_ws(' ', invoice_no, currency_code, exchange_rate, amount_cny) FROM dw.fact_accounts_receivable"));
        Assert.Equal("TX-1 USD 7.20000000 144.00|TX-2 EUR 7.80000000 39.00|TX-3 CNY 1.00000000 8.00|TX-4 USD 7.00000000 70.00", await db.ScalarAsync<string>(
            "SELECT string_agg(concat_ws(' ', reference_no, currency_code, exchange_rate, amount_cny), '|' ORDER BY reference_no) FROM dw.fact_payment_receipts"));
        Assert.Equal("BILL-1 USD 7.30000000 365.00|BILL-2 CNY 1.00000000 1000.00|BILL-3 USD 7.20000000 216.00", await db.ScalarAsync<string>(
            "SELECT string_agg(concat_ws(' ', reference_no, currency_code, exchange_rate, amount_cny), '|' ORDER BY reference_no) FROM dw.fact_expenses"));
        Assert.Equal("10 CNY 1.00000000 10.00 30.00|11 USD 7.20000000 72.00 216.00", await db.ScalarAsync<string>(
            "SELECT string_agg(concat_ws(' ', shop_id, currency_code, exchange_rate, price_cny, sales_amount_cny), '|' ORDER BY shop_id) FROM dw.fact_product_metrics"));
        // The same question asked of the rate table: every converted amount is the amount at its date's rate, save the given rate.
        Assert.True(await db.ScalarAsync<bool>($"""
            SELECT bool_and(p.amount_cny = round(p.amount * {RateOf("p.currency_code::text", "p.receipt_date")}, 2)) FILTER (WHERE p.reference_no <> 'TX-4')
               AND (SELECT bool_and(e.amount_cny = round(e.amount * {RateOf("e.currency_code::text", "e.expense_date")}, 2)) FROM dw.fact_expenses AS e)
               AND (SELECT bool_and(m.sales_amount_cny = round(m.sales_amount * {RateOf("m.currency_code::text", "m.metric_date")}, 2)) FROM dw.fact_product_metrics AS m)
            FROM dw.fact_payment_receipts AS p
            """));
    }

    [Fact]
    public async Task A_row_without_a_rate_whose_currency_has_none_by_its_date_is_rejected_naming_it()
    {
        await using var db = await CreateAsync();
        var ingest = new Ingestor(db.DataSource);

        var payment = await Assert.ThrowsAsync<IngestException>(() => ingest.UpsertPaymentsAsync([
            new(1, "TX-1", Day, Noon, 20m) { CurrencyCode = "USD" },
            new(1, "TX-2", Day, Noon, 20m) { CurrencyCode = "GBP" }]));
        var expense = await Assert.ThrowsAsync<IngestException>(() => ingest.UpsertExpensesAsync([
            new(1, "BILL-1", new DateOnly(2026, 3, 1), "rent", 10m) { CurrencyCode = "USD" }]));

        Assert.Equal((2L, "exchange_rate", "fact_payment_receipts_exchange_rate_positive"), (payment.RowNumber, payment.Field, payment.Constraint));
        Assert.Contains("no GBP rate from 2026-02-02 to 2026-03-05 (it has none before)", payment.Message, StringComparison.Ordinal);
        Assert.Equal((1L, "exchange_rate"), (expense.RowNumber, expense.Field));
        Assert.Contains("no USD rate from 2026-01-29 to 2026-03-01 (it has none before)", expense.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT (SELECT count(*) FROM dw.fact_payment_receipts) + (SELECT count(*) FROM dw.fact_expenses)"));
    }

    [Fact]
    public async Task A_rate_more_than_31_days_older_than_the_row_is_not_taken_and_the_refusal_names_the_latest()
    {
        await using var db = await CreateAsync();
        var ingest = new Ingestor(db.DataSource);

        // USD's latest rate is of 2026-03-06: 31 days later it is still taken (a table kept at one rate a month), 32 days later not.
        await ingest.UpsertExpensesAsync([new(1, "BILL-31", new DateOnly(2026, 4, 6), "rent", 10m) { CurrencyCode = "USD" }]);
        var stale = await Assert.ThrowsAsync<IngestException>(() => ingest.UpsertExpensesAsync([
            new(1, "BILL-32", new DateOnly(2026, 4, 7), "rent", 10m) { CurrencyCode = "USD" }]));

        Assert.Equal(7.3m, await db.ScalarAsync<decimal>("SELECT exchange_rate FROM dw.fact_expenses WHERE reference_no = 'BILL-31'"));
        Assert.Equal((1L, "exchange_rate"), (stale.RowNumber, stale.Field));
        Assert.Contains("no USD rate from 2026-03-07 to 2026-04-07 (its latest before is of 2026-03-06, too old to be that day's rate)", stale.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_expenses WHERE reference_no = 'BILL-32'"));
        // The rule and the table's own answer agree on both days.
        Assert.Equal(await db.ScalarAsync<string>($"SELECT {RateOf("'USD'", "DATE '2026-04-06'")}::text || '|' || coalesce({RateOf("'USD'", "DATE '2026-04-07'")}::text, '-')"),
            await db.ScalarAsync<string>("""
                SELECT (SELECT r.rate_to_cny FROM dw.exchange_rate_on('USD', DATE '2026-04-06') AS r)::text || '|'
                       || coalesce((SELECT r.rate_to_cny FROM dw.exchange_rate_on('USD', DATE '2026-04-07') AS r)::text, '-')
                """));
    }

    [Fact]
    public async Task An_order_without_a_currency_is_in_its_shops_currency_at_the_rate_of_its_date()
    {
        await using var db = await CreateAsync();
        var ingest = new Ingestor(db.DataSource);

        await ingest.UpsertOrdersAsync([
            IngestSample.Order("U-1", 100m, UsdShop) with { CurrencyCode = null, ExchangeRate = null },
            IngestSample.Order("C-1", 100m) with { CurrencyCode = null, ExchangeRate = null }]);

        Assert.Equal("C-1 CNY 1.00000000 100.00|U-1 USD 7.20000000 720.00", await db.ScalarAsync<string>(
            "SELECT string_agg(concat_ws(' ', order_no, currency_code, exchange_rate, gmv_cny), '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no IN ('U-1', 'C-1')"));
    }

    [Fact]
    public async Task An_order_the_batch_gives_no_currency_keeps_its_stored_currency_and_that_currencys_rate()
    {
        await using var db = await CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([IngestSample.Order("U-1", 100m) with { CurrencyCode = "USD", ExchangeRate = null }]);
        var withoutCurrency = ingest.With(new IngestOptions
        {
            SuppliedFields = new HashSet<string> { "merchant_id", "shop_id", "order_no", "order_date", "ordered_at", "gmv" },
        });

        var result = await withoutCurrency.UpsertOrdersAsync([IngestSample.Order("U-1", 110m) with { CurrencyCode = null, ExchangeRate = null }]);

        Assert.Equal((0L, 1L), (result.Inserted, result.Updated));
        Assert.Equal("USD 7.20000000 792.00", await db.ScalarAsync<string>(
            "SELECT concat_ws(' ', currency_code, exchange_rate, gmv_cny) FROM dw.fact_sales_orders WHERE order_no = 'U-1'"));
    }

    /// <summary>A row of the fill's inputs: the default row (none, a CNY one, a USD one, one that does not exist), currency, rate, day.</summary>
    private static readonly Gen<(int Home, string? Currency, decimal? Rate, int? Day)> FillInput = Gen.Select(
        Gen.Int[0, 3], Gen.Int[0, 4].Select(c => new string?[] { null, "CNY", "USD", "EUR", "GBP" }[c]), Gen.Bool.Select(r => r ? 7.1m : (decimal?)null), Gen.Int[0, 7].Select(d => d == 0 ? (int?)null : d));

    /// <summary>
    /// The fill by key is a faster way to what the fill row by row gives: on generated rows of every entity with a currency (currency
    /// and rate given or not, the default row missing, unknown or in CNY or USD, the date missing, with or without a rate on it),
    /// both leave every row with the same currency and rate.
    /// </summary>
    [Fact]
    public async Task The_fill_by_key_leaves_every_row_as_the_fill_row_by_row_does()
    {
        await using var db = await CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertReceivablesAsync([new(1, "INV-C", Day, Day.AddDays(30), 100m), new(1, "INV-U", Day, Day.AddDays(30), 100m) { ShopId = UsdShop }]);
        var homes = new Dictionary<string, long?[]>
        {
            ["shop_id"] = [null, IngestSample.Shop, UsdShop, 99],
            ["receivable_id"] = [null, await db.ScalarAsync<long>("SELECT receivable_id FROM dw.fact_accounts_receivable WHERE invoice_no = 'INV-C'"),
                await db.ScalarAsync<long>("SELECT receivable_id FROM dw.fact_accounts_receivable WHERE invoice_no = 'INV-U'"), 99999],
        };
        var rules = CurrencyPlans().Select(plan => ((string)Get(plan, "CreateTempTable")!, Assert.IsType<CurrencyRule>(Get(Get(plan, "Definition")!, "Currency")))).ToList();
        Assert.Equal(5, rules.Count);
        await using var connection = await db.DataSource.OpenConnectionAsync();

        await FillInput.Array[1, 40].SampleAsync(async rows =>
        {
            foreach (var (createTempTable, rule) in rules)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                var home = rule.DefaultKeys.Single(k => k != "merchant_id");
                var values = rows.Select((r, i) => $"({i + 1}, 1, {Sql(homes[home][r.Home])}, {Sql(r.Currency)}, {Sql(r.Rate)}, {(r.Day is { } d ? $"DATE '2026-03-0{d}'" : "NULL")})");
                await Execute($"""
                    {createTempTable};
                    ALTER TABLE pg_temp.ingest_rows ADD COLUMN IF NOT EXISTS {home} bigint;
                    INSERT INTO pg_temp.ingest_rows (row_no, merchant_id, {home}, currency_code, exchange_rate, {rule.DateField}) VALUES {string.Join(", ", values)};
                    SAVEPOINT filled
                    """);
                const string Filled = "SELECT string_agg(row_no || ' ' || coalesce(currency_code, '-') || ' ' || coalesce(exchange_rate::text, '-'), ', ' ORDER BY row_no) FROM pg_temp.ingest_rows";
                await Execute(rule.Fill(keepStored: false).Sql);
                var byKey = await connection.ExecuteScalarAsync<string>(Filled, transaction: transaction);
                await Execute($"ROLLBACK TO SAVEPOINT filled; {rule.FillRowByRow(keepStored: false, unkeyedOnly: false)}");
                var rowByRow = await connection.ExecuteScalarAsync<string>(Filled, transaction: transaction);
                await transaction.RollbackAsync();

                Assert.Equal(rowByRow, byKey);

                Task Execute(string sql) => connection.ExecuteAsync(sql, transaction: transaction);
            }
        }, iter: 40, threads: 1, print: rows => string.Join("; ", rows));

        static string Sql(object? value) => value switch { null => "NULL", string text => $"'{text}'", _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)! };
    }

    /// <summary>The ingest plan of every entity (<c>IngestPlan&lt;TRow&gt;</c>, one per row type, hence as objects).</summary>
    private static List<object> Plans() => typeof(OrdersEntity).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(OrdersEntity).Namespace)
        .Select(t => t.GetField("Plan", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
        .OfType<object>()
        .ToList();

    private static List<object> CurrencyPlans() => [.. Plans().Where(plan => Get(Get(plan, "Definition")!, "Currency") is not null)];

    private static object? Get(object target, string property) => target.GetType().GetProperty(property)!.GetValue(target);

    /// <summary>Every entity whose rows carry a currency and a rate follows the one rule: its fill, its columns and its checks.</summary>
    [Fact]
    public void Every_entity_with_a_currency_and_a_rate_has_the_currency_rule()
    {
        var withRates = Plans().Where(plan => ((IEnumerable)Get(Get(plan, "Definition")!, "Fields")!).Cast<object>()
            .Any(f => (string)Get(f, "Name")! == "exchange_rate")).ToList();

        Assert.Equal(["expenses", "orders", "payments", "product-metrics", "receivables"], withRates.Select(p => (string)Get(p, "Entity")!).Order());
        foreach (var plan in withRates)
        {
            var definition = Get(plan, "Definition")!;
            var rule = Assert.IsType<CurrencyRule>(Get(definition, "Currency"));
            var columns = ((IEnumerable)Get(definition, "Columns")!).Cast<TargetColumn>().ToList();
            var checks = ((IEnumerable)Get(definition, "Checks")!).Cast<RowCheck>().ToList();
            Assert.All(rule.Columns, column => Assert.Contains(column, columns));
            Assert.All(rule.Checks("", ""), check => Assert.Contains(checks, c => c.Field == check.Field && c.FailsWhen == check.FailsWhen));
            Assert.Equal(rule.Fill(false), ((IReadOnlyList<ResolveStep>)Get(plan, "Resolve")!)[^1]);
        }
    }
}

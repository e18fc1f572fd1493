using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Warehouse;

/// <remarks>The cases of the constraint theory share one database: each statement is refused, so none changes it (<see cref="SharedDatabase"/>).</remarks>
public class ConstraintTests(SharedDatabase shared) : IClassFixture<SharedDatabase>
{
    [Theory]
    [InlineData("INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, order_no, gmv, ordered_at) VALUES (1, '2026-03-05', 10, 'X1', -1, now())", "fact_sales_orders_gmv_nonnegative")]
    [InlineData("INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, order_no, status, gmv, ordered_at) VALUES (1, '2026-03-05', 10, 'X2', 'lost', 1, now())", "fact_sales_orders_status_known")]
    [InlineData("INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, order_no, gmv, ordered_at, paid_at) VALUES (1, '2026-03-05', 10, 'X3', 1, '2026-03-05 10:00Z', '2026-03-05 09:00Z')", "fact_sales_orders_paid_after_ordered")]
    [InlineData("INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, order_no, gmv, ordered_at) VALUES (2, '2026-03-05', 10, 'X4', 1, now())", "fact_sales_orders_shop_fkey")]
    [InlineData("INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price) VALUES (1, '2026-03-01', 1, 1, 100, 0, 5)", "fact_order_items_quantity_positive")]
    [InlineData("INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price) VALUES (1, '2026-03-01', 1, 1, 200, 1, 5)", "fact_order_items_product_fkey")]
    [InlineData("INSERT INTO dw.fact_inventory (merchant_id, product_id, quantity_on_hand, quantity_reserved) VALUES (1, 100, 5, 6)", "fact_inventory_reserved_within_on_hand")]
    [InlineData("INSERT INTO dw.fact_inventory (merchant_id, product_id, quantity_on_hand) VALUES (1, 100, -3)", "fact_inventory_quantities_nonnegative")]
    [InlineData("INSERT INTO dw.fact_product_metrics (merchant_id, shop_id, product_id, metric_date, price, rating) VALUES (1, 10, 100, '2026-03-01', 10, 5.5)", "fact_product_metrics_rating_range")]
    [InlineData("INSERT INTO dw.dim_products (merchant_id, sku, product_name, unit_cost) VALUES (1, 'A-2', 'Bad', -1)", "dim_products_unit_cost_nonnegative")]
    [InlineData("INSERT INTO dw.dim_products (merchant_id, sku, product_name) VALUES (1, 'A-1', 'Duplicate SKU')", "dim_products_sku_unique")]
    public async Task Each_constraint_rejects_what_can_never_be_true_and_names_itself(string sql, string constraint)
    {
        var db = await shared.GetAsync(SampleData.InsertAsync);

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(sql));

        Assert.Equal(constraint, error.ConstraintName);
        Assert.Contains(constraint, error.MessageText);
    }

    [Fact]
    public async Task Generated_columns_derive_money_and_stock_from_their_inputs()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_sales_orders (merchant_id, order_id, order_date, shop_id, order_no, currency_code, gmv, exchange_rate,
                                              platform_commission, payment_fee, shipping_fee, cost_amount_cny, ordered_at)
            VALUES (1, 50, '2026-03-10', 10, 'FX-1', 'USD', 100, 7.1, 5, 2, 3, 300, now());
            INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, discount_amount, unit_cost)
            VALUES (1, '2026-03-10', 50, 1, 100, 3, 19.99, 1.5, 12.5);
            INSERT INTO dw.fact_inventory (merchant_id, product_id, quantity_on_hand, quantity_reserved, safety_stock) VALUES (1, 100, 40, 15, 10);
            """);

        Assert.Equal(710.00m, await db.ScalarAsync<decimal>("SELECT gmv_cny FROM dw.fact_sales_orders WHERE order_id = 50"));
        Assert.Equal(71.00m, await db.ScalarAsync<decimal>("SELECT fees_cny FROM dw.fact_sales_orders WHERE order_id = 50"));
        Assert.Equal(410.00m, await db.ScalarAsync<decimal>("SELECT gross_profit_cny FROM dw.fact_sales_orders WHERE order_id = 50"));
        Assert.Equal(339.00m, await db.ScalarAsync<decimal>("SELECT net_profit_cny FROM dw.fact_sales_orders WHERE order_id = 50"));
        Assert.Equal(58.47m, await db.ScalarAsync<decimal>("SELECT amount FROM dw.fact_order_items WHERE order_id = 50"));
        Assert.Equal(37.50m, await db.ScalarAsync<decimal>("SELECT cost_amount FROM dw.fact_order_items WHERE order_id = 50"));
        Assert.Equal(25, await db.ScalarAsync<int>("SELECT quantity_available FROM dw.fact_inventory WHERE product_id = 100"));
    }

    [Fact]
    public async Task Updated_at_is_maintained_by_trigger()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await db.ExecuteAsync("UPDATE dw.fact_sales_orders SET updated_at = '2000-01-01' WHERE order_id = 1");
        await db.ExecuteAsync("UPDATE dw.dim_products SET updated_at = '2000-01-01' WHERE product_id = 100");

        await db.ExecuteAsync("UPDATE dw.fact_sales_orders SET status = 'refunded' WHERE order_id = 1");
        await db.ExecuteAsync("UPDATE dw.dim_products SET unit_cost = 13 WHERE product_id = 100");

        Assert.True(await db.ScalarAsync<bool>("SELECT updated_at > now() - interval '1 minute' FROM dw.fact_sales_orders WHERE order_id = 1"));
        Assert.True(await db.ScalarAsync<bool>("SELECT updated_at > now() - interval '1 minute' FROM dw.dim_products WHERE product_id = 100"));
    }

    [Fact]
    public async Task Orders_land_in_monthly_partitions_created_ahead()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);

        Assert.Equal("dw.fact_sales_orders_p2026_03", await db.ScalarAsync<string>("SELECT tableoid::regclass::text FROM dw.fact_sales_orders WHERE order_id = 1"));
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT to_regclass(format('dw.fact_sales_orders_p%s', to_char(now() + interval '3 months', 'YYYY_MM'))) IS NOT NULL"));
    }
}

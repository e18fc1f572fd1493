using Erp.Db.Ingest;
using Npgsql;

namespace Erp.Db.Tests.Library;

/// <summary>A null argument is refused before anything is sent, naming the caller's parameter, not one inside the library.</summary>
public class NullArgumentTests
{
    [Fact]
    public async Task A_null_batch_or_view_list_names_the_callers_parameter()
    {
        await using var dataSource = NpgsqlDataSource.Create("Host=localhost;Database=never_opened");
        await using var erp = new ErpDatabase(dataSource);
        OrderRow[] orders = [];
        OrderItemRow[] items = [];

        var noOrders = await Assert.ThrowsAsync<ArgumentNullException>(() => erp.Ingest.UpsertOrdersWithItemsAsync(null!, items));
        var noItems = await Assert.ThrowsAsync<ArgumentNullException>(() => erp.Ingest.UpsertOrdersWithItemsAsync(orders, null!));
        var noStreamedItems = await Assert.ThrowsAsync<ArgumentNullException>(() =>
            erp.Ingest.UpsertOrdersWithItemsAsync(orders.ToAsyncEnumerable(), (IAsyncEnumerable<OrderItemRow>)null!));
        var noRows = await Assert.ThrowsAsync<ArgumentNullException>(() => erp.Ingest.UpsertOrdersAsync((IEnumerable<OrderRow>)null!));
        var noViews = await Assert.ThrowsAsync<ArgumentNullException>(() => erp.Refresh.RefreshAsync((IEnumerable<string>)null!));

        Assert.Equal(("orders", "items", "items", "rows", "views"),
            (noOrders.ParamName, noItems.ParamName, noStreamedItems.ParamName, noRows.ParamName, noViews.ParamName));
    }
}

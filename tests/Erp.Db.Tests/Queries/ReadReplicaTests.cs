using Erp.Db.Ingest;
using Erp.Db.Queries;
using Erp.Db.Queries.Sales;
using Erp.Db.Refresh;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Queries;

public class ReadReplicaTests
{
    [Fact]
    public async Task Queries_read_the_replica_ingest_and_refresh_write_the_primary_and_freshness_is_the_replicas_while_it_lags()
    {
        await using var f = await QueryFixture.CreateAsync();
        await using var replica = await StreamingReplica.StartAsync(f.Db.AdminConnectionString);
        await replica.CatchUpAsync(f.Db.Name);
        var replicaConnection = replica.ConnectionString(f.Db.ConnectionString);
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = f.Db.ConnectionString, ReadConnectionString = replicaConnection });
        await using var replicaAdmin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(replicaConnection) { Pooling = false }.ConnectionString);
        var today = QueryFixture.Today;
        var query = new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, today) };

        var readsReplica = await ScalarAsync<bool>(erp.ReadDataSource, "SELECT pg_is_in_recovery()");
        var writesPrimary = !await ScalarAsync<bool>(erp.DataSource, "SELECT pg_is_in_recovery()");
        var before = await erp.Queries.SalesAsync(query);

        // The replica stops replaying: what the primary writes from now on is not on it yet.
        await ScalarAsync<object>(replicaAdmin, "SELECT pg_wal_replay_pause()");
        while (await ScalarAsync<string>(replicaAdmin, "SELECT pg_get_wal_replay_pause_state()") != "paused")
        {
            await Task.Delay(50);
        }
        var ingested = await erp.Ingest.UpsertOrdersAsync([
            new OrderRow(1, 11, "replica-1", today, new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8)), 1234.5m) { Status = "paid" },
        ]);
        var refreshed = await erp.Refresh.RefreshAllAsync("replica-test");
        var primaryRefresh = await f.Db.ScalarAsync<DateTime>("SELECT last_success_at FROM ops.mv_freshness WHERE view_name = 'mart.mv_daily_sales'");
        var lagging = await erp.Queries.SalesAsync(query);

        await ScalarAsync<object>(replicaAdmin, "SELECT pg_wal_replay_resume()");
        await replica.CatchUpAsync(f.Db.Name);
        var caughtUp = await erp.Queries.SalesAsync(query);

        Assert.True(readsReplica);
        Assert.True(writesPrimary);
        Assert.Equal(1, ingested.Inserted);
        Assert.All(refreshed, r => Assert.Equal(RefreshStatus.Succeeded, r.Status));
        var daily = (QueryResult<SalesReport> r) => r.Freshness.Single(v => v.View == "mart.mv_daily_sales");
        var primaryRefreshAt = new DateTimeOffset(DateTime.SpecifyKind(primaryRefresh, DateTimeKind.Utc));
        Assert.True(primaryRefreshAt > daily(before).LastRefresh);
        // While the replica lags, a query answers from its rows and says how old they are: the refresh it has replayed.
        Assert.Equal(before.Data.Metrics.Revenue, lagging.Data.Metrics.Revenue);
        Assert.Equal(daily(before).LastRefresh, daily(lagging).LastRefresh);
        // Once it has replayed the primary's refresh, both the rows and the freshness are the new ones.
        Assert.Equal(before.Data.Metrics.Revenue + 1234.5m, caughtUp.Data.Metrics.Revenue);
        Assert.Equal(primaryRefreshAt, daily(caughtUp).LastRefresh);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

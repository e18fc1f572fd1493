using Erp.Db.Queries;
using Erp.Db.Queries.Products;
using Erp.Db.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Erp.Db.Tests.Library;

public class AddErpDbTests
{
    [Fact]
    public async Task Binds_options_from_configuration_and_shares_one_instance()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ErpDb:ConnectionString"] = db.ConnectionString,
            ["ErpDb:MaxPageSize"] = "50",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddErpDb(configuration.GetSection(ErpDbOptions.SectionName));
        services.AddErpDb(configuration.GetSection(ErpDbOptions.SectionName));
        await using var provider = services.BuildServiceProvider();

        var erp = provider.GetRequiredService<ErpDatabase>();
        var status = await erp.Migrations.StatusAsync();

        Assert.Single(services, d => d.ServiceType == typeof(ErpDatabase));
        Assert.Same(erp, provider.GetRequiredService<ErpDatabase>());
        Assert.Equal(50, erp.Options.MaxPageSize);
        Assert.True(status.IsUpToDate);
        Assert.Equal(db.Name, status.Database);
    }

    [Fact]
    public void A_missing_connection_string_says_what_to_set()
    {
        var error = Assert.Throws<ArgumentException>(() => ErpDatabase.Create(new ErpDbOptions()));

        Assert.Contains("ErpDb:ConnectionString", error.Message);
    }

    [Fact]
    public async Task A_container_disposed_synchronously_disposes_the_database_and_its_pools()
    {
        // A console app's `using var provider = services.BuildServiceProvider()` disposes synchronously: a singleton that is
        // only IAsyncDisposable makes that throw InvalidOperationException.
        await using var db = await TestDatabase.CreateMigratedAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddErpDb(db.ConnectionString);
        var provider = services.BuildServiceProvider();
        var erp = provider.GetRequiredService<ErpDatabase>();
        Assert.True((await erp.Migrations.StatusAsync()).IsUpToDate);
        Assert.NotEmpty(await erp.Queries.FreshnessAsync());

        provider.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await erp.DataSource.OpenConnectionAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await erp.ReadDataSource.OpenConnectionAsync());
        await erp.DisposeAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_MaxPageSize_below_1_is_refused_when_the_database_is_built(int maxPageSize)
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddErpDb(o =>
        {
            o.ConnectionString = db.ConnectionString;
            o.MaxPageSize = maxPageSize;
        });
        await using var provider = services.BuildServiceProvider();

        // Accepted, every paged query would fail later with "pageSize must be between 1 and 0", blaming the caller's page.
        var error = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<ErpDatabase>());

        Assert.Contains("ErpDb:MaxPageSize", error.Message);
        Assert.Contains(maxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString, MaxPageSize = 1 });
        Assert.Equal(1, (await erp.Queries.ProductsAsync(new ProductQuery { MerchantId = 1, Paging = new Paging(1, 1) })).Data.PageSize);
    }

    [Fact]
    public void A_negative_query_timeout_or_cache_size_is_refused_naming_the_setting_and_zero_means_none()
    {
        const string Connection = "Host=localhost;Database=erp;Username=erp_app";

        var timeout = Assert.Throws<ArgumentException>(() => ErpDatabase.Create(new ErpDbOptions { ConnectionString = Connection, QueryTimeout = TimeSpan.FromSeconds(-5) }));
        var cache = Assert.Throws<ArgumentException>(() => ErpDatabase.Create(new ErpDbOptions { ConnectionString = Connection, ResultCacheRows = -1 }));
        using var none = ErpDatabase.Create(new ErpDbOptions { ConnectionString = Connection, QueryTimeout = TimeSpan.Zero, ResultCacheRows = 0 });
        using var infinite = ErpDatabase.Create(new ErpDbOptions { ConnectionString = Connection, QueryTimeout = Timeout.InfiniteTimeSpan });

        Assert.Contains("ErpDb:QueryTimeout", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("-00:00:05", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("ErpDb:ResultCacheRows", cache.Message, StringComparison.Ordinal);
        Assert.Equal(0, new Npgsql.NpgsqlConnectionStringBuilder(none.DataSource.ConnectionString).CommandTimeout);
        Assert.Equal(0, new Npgsql.NpgsqlConnectionStringBuilder(infinite.DataSource.ConnectionString).CommandTimeout);
    }

    [Theory]
    [InlineData("ConnectionString")]
    [InlineData("ReadConnectionString")]
    [InlineData("MigrationConnectionString")]
    public void A_malformed_connection_string_is_refused_naming_which_one_and_never_quoting_it(string setting)
    {
        const string Good = "Host=localhost;Database=erp;Username=erp_app;Password=good-secret";
        const string Bad = "Hots=foo;Password=bad-secret;;=";
        var options = setting switch
        {
            "ConnectionString" => new ErpDbOptions { ConnectionString = Bad },
            "ReadConnectionString" => new ErpDbOptions { ConnectionString = Good, ReadConnectionString = Bad },
            _ => new ErpDbOptions { ConnectionString = Good, MigrationConnectionString = Bad },
        };

        var error = Assert.Throws<ArgumentException>(() => ErpDatabase.Create(options));

        Assert.Contains($"ErpDb:{setting}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}

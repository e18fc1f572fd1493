using Erp.Db.Refresh;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Erp.Db;

/// <summary>
/// Registers <see cref="ErpDatabase"/> (a singleton, and its refresh worker) in a service collection. The warehouse is the
/// database of <see cref="ErpDbOptions.ConnectionString"/>; only when that is empty is an <see cref="NpgsqlDataSource"/>
/// already registered (<c>AddNpgsqlDataSource</c>) used as the primary.
/// </summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Registers Erp.Db with a connection string to the primary.</summary>
    public static IServiceCollection AddErpDb(this IServiceCollection services, string connectionString) =>
        services.AddErpDb(o => o.ConnectionString = connectionString);

    /// <summary>Registers Erp.Db with options bound from a configuration section (usually <c>ErpDb</c>).</summary>
    public static IServiceCollection AddErpDb(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ErpDbOptionsBuilder>().Bind(section);
        return services.AddErpDbCore();
    }

    /// <summary>Registers Erp.Db with options set in code.</summary>
    public static IServiceCollection AddErpDb(this IServiceCollection services, Action<ErpDbOptionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ErpDbOptionsBuilder>().Configure(configure);
        return services.AddErpDbCore();
    }

    /// <summary>
    /// Registers <see cref="RefreshWorker"/> as a hosted service over the registered <see cref="ErpDatabase"/>
    /// (call <c>AddErpDb</c> too): the due refresh every <see cref="RefreshWorkerOptions.Interval"/> and the
    /// partitions kept ahead, for servers without pg_cron. The worker is also resolvable as <see cref="RefreshWorker"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Interval and trigger; defaults when null.</param>
    public static IServiceCollection AddErpDbRefreshWorker(this IServiceCollection services, RefreshWorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp =>
        {
            var erp = sp.GetRequiredService<ErpDatabase>();
            return new RefreshWorker(erp.Refresh, options, sp.GetService<ILogger<RefreshWorker>>(), erp.Partitions);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RefreshWorker>(sp => sp.GetRequiredService<RefreshWorker>()));
        return services;
    }

    private static IServiceCollection AddErpDbCore(this IServiceCollection services)
    {
        // TryAdd: registering twice still makes one ErpDatabase. Every AddErpDb's options apply, in
        // order, to the same ErpDbOptionsBuilder, so where two set the same value the last one wins.
        // Without a ConnectionString, an NpgsqlDataSource already in the container (AddNpgsqlDataSource)
        // is the primary: it is shared, not copied into a second pool, and its owner (the container)
        // disposes it. With one, the string wins: an app's own data source usually points at the app's
        // own database, and taking it would send the warehouse's calls there.
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ErpDbOptionsBuilder>>().Value.Build();
            var shared = string.IsNullOrWhiteSpace(options.ConnectionString) ? sp.GetService<NpgsqlDataSource>() : null;
            return ErpDatabase.Create(options, sp.GetService<ILoggerFactory>(), shared);
        });
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Erp.Db;

/// <summary>Registers <see cref="ErpDatabase"/> in a service collection.</summary>
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

    private static IServiceCollection AddErpDbCore(this IServiceCollection services)
    {
        // TryAdd: registering twice is harmless; the first registration wins.
        services.TryAddSingleton(sp => ErpDatabase.Create(
            sp.GetRequiredService<IOptions<ErpDbOptionsBuilder>>().Value.Build(),
            sp.GetService<ILoggerFactory>()));
        return services;
    }
}

using Erp.Db.Cli.Output;
using Npgsql;

namespace Erp.Db.Cli.Connection;

/// <summary>The one data source of an erpdb run, created on first use and disposed with the host.</summary>
internal sealed class Database(ConnectionResolver resolver, GlobalOptions globals) : IAsyncDisposable
{
    private NpgsqlDataSource? dataSource;

    public ConnectionTarget? Target { get; private set; }

    public async Task<NpgsqlDataSource> GetAsync(System.CommandLine.ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (dataSource is null)
        {
            Target = await resolver.ResolveAsync(parseResult.GetValue(globals.Connection), cancellationToken);
            var builder = new NpgsqlDataSourceBuilder(Target.ConnectionString);
            builder.ConnectionStringBuilder.ApplicationName ??= "erpdb";
            dataSource = builder.Build();
        }
        return dataSource;
    }

    /// <summary>The library's entry object over the same data source.</summary>
    public async Task<ErpDatabase> GetErpAsync(System.CommandLine.ParseResult parseResult, CancellationToken cancellationToken) =>
        new(await GetAsync(parseResult, cancellationToken));

    public async ValueTask DisposeAsync()
    {
        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }
    }
}

using Erp.Db.Migrations;

namespace Erp.Db;

/// <summary>The mutable form of <see cref="ErpDbOptions"/> that configuration binds and <c>AddErpDb</c> callbacks set.</summary>
public sealed class ErpDbOptionsBuilder
{
    /// <inheritdoc cref="ErpDbOptions.ConnectionString"/>
    public string ConnectionString { get; set; } = "";

    /// <inheritdoc cref="ErpDbOptions.ReadConnectionString"/>
    public string? ReadConnectionString { get; set; }

    /// <inheritdoc cref="ErpDbOptions.MigrationConnectionString"/>
    public string? MigrationConnectionString { get; set; }

    /// <inheritdoc cref="ErpDbOptions.MaxPageSize"/>
    public int MaxPageSize { get; set; } = new ErpDbOptions().MaxPageSize;

    /// <inheritdoc cref="ErpDbOptions.QueryTimeout"/>
    public TimeSpan QueryTimeout { get; set; } = new ErpDbOptions().QueryTimeout;

    /// <inheritdoc cref="ErpDbOptions.ResultCacheRows"/>
    public int ResultCacheRows { get; set; } = new ErpDbOptions().ResultCacheRows;

    /// <inheritdoc cref="ErpDbOptions.Migration"/>
    public MigrationOptions Migration { get; set; } = new();

    /// <summary>The immutable options.</summary>
    public ErpDbOptions Build() => new()
    {
        ConnectionString = ConnectionString,
        ReadConnectionString = ReadConnectionString,
        MigrationConnectionString = MigrationConnectionString,
        MaxPageSize = MaxPageSize,
        QueryTimeout = QueryTimeout,
        ResultCacheRows = ResultCacheRows,
        Migration = Migration,
    };
}

namespace Erp.Db;

/// <summary>Settings of an <see cref="ErpDatabase"/>, bound from configuration section <c>ErpDb</c> by <c>AddErpDb</c>.</summary>
public sealed record ErpDbOptions
{
    /// <summary>The configuration section <c>AddErpDb(IConfiguration)</c> reads.</summary>
    public const string SectionName = "ErpDb";

    /// <summary>The primary: migrations, refresh and ingest go here. Required.</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>An optional read replica for queries; the primary when unset.</summary>
    public string? ReadConnectionString { get; init; }

    /// <summary>The largest page a query may ask for; larger requests are refused. Default 500.</summary>
    public int MaxPageSize { get; init; } = 500;

    /// <summary>Longest a query may run before PostgreSQL cancels it. Default 30 seconds.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

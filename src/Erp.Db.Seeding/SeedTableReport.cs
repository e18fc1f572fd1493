namespace Erp.Db.Seeding;

/// <summary>How one table was loaded.</summary>
/// <param name="Table">The table, schema-qualified.</param>
/// <param name="Rows">Rows written.</param>
/// <param name="Elapsed">Time of its COPY (generation included, as it streams).</param>
public sealed record SeedTableReport(string Table, long Rows, TimeSpan Elapsed)
{
    /// <summary>Rows per second of this table's COPY.</summary>
    public double RowsPerSecond => Elapsed > TimeSpan.Zero ? Rows / Elapsed.TotalSeconds : 0;
}

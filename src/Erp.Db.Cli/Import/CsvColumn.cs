namespace Erp.Db.Cli.Import;

/// <summary>
/// A column an import file may have: its snake_case header, whether it is required, and what it holds. A column with
/// <see cref="Or"/> is required unless the file has that other column instead (merchant_code or merchant_id).
/// </summary>
internal sealed record CsvColumn(string Name, bool Required, string Description)
{
    /// <summary>The column that may stand in for this one; the file must have one of the two.</summary>
    public string? Or { get; init; }
}

namespace Erp.Db.Ingest.Engine;

/// <summary>A column of the target table the upsert writes, the SQL expression over the temp row <c>t</c> (and the entity's joins) that fills it, and the input fields it comes from.</summary>
internal sealed record TargetColumn(string Name, string Source, IReadOnlyList<string> Fields)
{
    /// <summary>Written when the row is inserted, never by an update (e.g. bookkeeping that posting owns afterwards).</summary>
    public bool InsertOnly { get; init; }

    /// <summary>
    /// Written by an update even when the batch does not carry its fields (<see cref="IngestOptions.SuppliedFields"/>): a value that
    /// is derived when not given, such as an exchange rate taken from the rate table for the row's date, follows that derivation.
    /// </summary>
    public bool DerivedWhenMissing { get; init; }

    /// <summary>A column filled straight from the input field of the same name.</summary>
    public static TargetColumn Same(string name) => new(name, $"t.{name}", [name]);
}

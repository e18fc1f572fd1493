namespace Erp.Db.Seeding;

/// <summary>Progress of a seed run: rows written so far into one table.</summary>
/// <param name="Table">The table being loaded, schema-qualified.</param>
/// <param name="Rows">Rows written into it so far.</param>
/// <param name="ExpectedRows">Rows it will hold when done (an estimate for some tables), 0 when unknown.</param>
/// <param name="Done">True once the table's COPY finished.</param>
public sealed record SeedProgress(string Table, long Rows, long ExpectedRows, bool Done);

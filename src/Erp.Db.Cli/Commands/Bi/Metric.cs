namespace Erp.Db.Cli.Commands.Bi;

/// <summary>One figure --metrics can select: its name, what it is, the JSON fields and table columns that carry it.</summary>
/// <param name="Name">What --metrics takes (matched ignoring case, '-' and '_').</param>
/// <param name="Description">For --help.</param>
/// <param name="Fields">The JSON property names (camelCase, anywhere in data) that hold it.</param>
/// <param name="Columns">The table headers that hold it.</param>
internal sealed record Metric(string Name, string Description, string[] Fields, string[] Columns);

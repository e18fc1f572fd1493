using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;

namespace Erp.Db.Cli.Output;

/// <summary>Writes a command's result or error on stdout in the chosen format; progress and notes go to stderr.</summary>
internal sealed class CommandOutput(TextWriter output, TextWriter error, int tableWidth = 80)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public TextWriter Error => error;

    public void Success(OutputFormat format, object data, IReadOnlyList<TableView> tables, IReadOnlyDictionary<string, object?> meta)
    {
        switch (format)
        {
            case OutputFormat.Json:
                output.WriteLine(JsonSerializer.Serialize(new { success = true, data, meta }, Json));
                break;
            case OutputFormat.Csv:
                WriteCsv(tables[0]);
                break;
            default:
                foreach (var table in tables)
                {
                    WriteTable(table);
                }
                break;
        }
    }

    public void Failure(OutputFormat format, string code, string message, object? details)
    {
        if (format == OutputFormat.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { success = false, error = new { code, message, details } }, Json));
        }
        else
        {
            error.WriteLine($"error [{code}]: {message}");
        }
    }

    public void Note(string message) => error.WriteLine(message);

    private void WriteTable(TableView view) => output.Write(TextTable.Render(view, tableWidth));

    private void WriteCsv(TableView view)
    {
        using var csv = new CsvWriter(output, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var header in view.Headers)
        {
            csv.WriteField(header);
        }
        csv.NextRecord();
        foreach (var row in view.Rows)
        {
            foreach (var cell in row)
            {
                csv.WriteField(cell);
            }
            csv.NextRecord();
        }
    }
}

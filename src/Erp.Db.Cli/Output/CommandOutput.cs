using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CsvHelper;

namespace Erp.Db.Cli.Output;

/// <summary>Writes a command's result or error on stdout in the chosen format; progress and notes go to stderr.</summary>
/// <param name="output">Standard output.</param>
/// <param name="error">Standard error.</param>
/// <param name="tableWidth">Columns a table may take.</param>
/// <param name="csvByteOrderMark">
/// Whether CSV starts with the UTF-8 byte order mark (U+FEFF): true unless stdout is a terminal. A CSV is written for a spreadsheet,
/// and Excel reads a CSV without it in the system's ANSI code page, garbling Chinese (any non-ASCII) names; the cost is that a program
/// reading the file must skip it (Python's utf-8-sig does). docs/assistants.md.
/// </param>
internal sealed class CommandOutput(TextWriter output, TextWriter error, int tableWidth = 80, bool csvByteOrderMark = false)
{
    /// <summary>The UTF-8 byte order mark as a character: the writer encodes it as EF BB BF.</summary>
    public const char ByteOrderMark = '\uFEFF';

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new CamelCaseJsonConverter() },
        // Keys that are data (a dictionary's, a jsonb object's from the database) are camelCase too: one_time is oneTime.
        DictionaryKeyPolicy = CamelCaseKeys.Instance,
        // Set, not left to the first serialization: CSV asks for a type's properties before writing any (an empty list).
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
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
                if (tables[0].Records is not null || tables.Count > 1)
                {
                    // Its columns say which table it is; a table's first header ("Time", "Day") would not.
                    error.WriteLine("CSV holds the rows of the first table only (the list the table format prints first); totals, "
                        + "summaries and any other table of this answer are in --format json or table.");
                }
                if (tables[0].Page is { Pages: > 1 } page)
                {
                    // A spreadsheet made of this file would look like the whole list: say that it is one page of it.
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CSV holds page {page.Page} of {page.Pages} ({page.Rows} of the "
                        + $"{page.Total} rows): the other pages with --page, more rows per page with --page-size."));
                }
                break;
            default:
                foreach (var table in tables)
                {
                    WriteTable(table);
                }
                break;
        }
    }

    /// <summary>
    /// Writes an error. Its message and details may quote what the user typed or a file held (an unknown merchant, a cell), which
    /// may be a connection string: each password in them is hidden (<see cref="SecretMask"/>).
    /// </summary>
    public void Failure(OutputFormat format, string code, string message, object? details)
    {
        message = SecretMask.Apply(message);
        details = Masked(details is null ? null : JsonSerializer.SerializeToNode(details, Json));
        if (format == OutputFormat.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { success = false, error = new { code, message, details } }, Json));
        }
        else
        {
            // A message may quote a file's cell or the server's text: printed as a table is, never as terminal commands.
            error.WriteLine($"error [{code}]: {TerminalText.Printable(message, keepLineBreaks: true)}");
        }
    }

    /// <summary>Hides the passwords in every string of <paramref name="node"/>, in place.</summary>
    private static JsonNode? Masked(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (Masked(o[name]) is { Parent: null } masked)
                    {
                        o[name] = masked;
                    }
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (Masked(a[i]) is { Parent: null } masked)
                    {
                        a[i] = masked;
                    }
                }
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(SecretMask.Apply(v.GetValue<string>()));
        }
        return node;
    }

    public void Note(string message) => error.WriteLine(TerminalText.Printable(message, keepLineBreaks: true));

    private void WriteTable(TableView view) => output.Write(TextTable.Render(view, tableWidth));

    private void WriteCsv(TableView view)
    {
        if (csvByteOrderMark)
        {
            output.Write(ByteOrderMark);
        }
        using var csv = new CsvWriter(output, CultureInfo.InvariantCulture, leaveOpen: true);
        if (view.Records is { } records)
        {
            WriteRecords(csv, records);
            return;
        }
        foreach (var header in view.Headers)
        {
            csv.WriteField(header);
        }
        csv.NextRecord();
        foreach (var row in view.Rows)
        {
            foreach (var cell in row)
            {
                csv.WriteField(SpreadsheetText.Guard(cell));
            }
            csv.NextRecord();
        }
    }

    /// <summary>
    /// One column per property as JSON names it, raw values: numbers and dates as JSON writes them, null as empty, a nested object or
    /// list as its JSON on one line; a text a spreadsheet would run as a formula guarded (<see cref="SpreadsheetText"/>).
    /// </summary>
    private static void WriteRecords(CsvWriter csv, IEnumerable<object> records)
    {
        var rows = records.Select(r => JsonSerializer.SerializeToElement(r, r.GetType(), Json).EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind switch
            {
                JsonValueKind.String => SpreadsheetText.Guard(p.Value.GetString() ?? ""),
                JsonValueKind.Null or JsonValueKind.Undefined => "",
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => p.Value.GetRawText(),
                _ => JsonSerializer.Serialize(p.Value), // an object or list: its JSON on one line
            })).ToList();
        // The columns of the record type, so that an empty list still writes its header line.
        var type = records.GetType().GetInterfaces().Append(records.GetType())
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        var columns = type is null || type == typeof(object)
            ? rows.SelectMany(r => r.Keys).Distinct().ToList()
            : [.. Json.GetTypeInfo(type).Properties.Select(p => p.Name)];
        foreach (var column in columns)
        {
            csv.WriteField(column);
        }
        csv.NextRecord();
        foreach (var row in rows)
        {
            foreach (var column in columns)
            {
                csv.WriteField(row.GetValueOrDefault(column, ""));
            }
            csv.NextRecord();
        }
    }
}

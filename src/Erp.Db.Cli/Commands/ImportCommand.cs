using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Import;
using Erp.Db.Cli.Import.Entities;
using Erp.Db.Cli.Import.Sources;
using Erp.Db.Cli.Output;
using Erp.Db.Ingest;

namespace Erp.Db.Cli.Commands;

/// <summary>
/// <c>erpdb import ENTITY FILE</c>: one CSV, TSV or .xlsx file, streamed as one ingest batch (all or nothing). Every problem of the
/// file (up to --max-errors) is reported at once; <c>--dry-run</c> runs the whole batch and rolls it back.
/// </summary>
internal sealed partial class ImportCommand : Command, IArgumentHelp
{
    private readonly Argument<string> entity = new("entity")
    {
        Description = $"What the file holds: {string.Join(", ", ImportEntities.All.Select(e => e.Name))}.",
    };

    private readonly Argument<string> file = new("file")
    {
        Description = "The file: .csv, .tsv or .tab (tab-separated) or .xlsx; a header of snake_case column names, then one row per record. "
            + "Any other text file (.txt) is read as comma-separated: name its separator with --delimiter.",
    };

    private readonly Option<string?> delimiter = new("--delimiter")
    {
        Description = "Cell separator of a text file: ',', ';', '|' or 'tab'. Default: tab for .tsv/.tab, else ','.",
    };

    private readonly Option<string?> encoding = new("--encoding")
    {
        Description = "Text encoding: utf-8, gb18030 or gbk (read as gb18030, its superset). Default: detected (UTF-8 with or without BOM, else GB18030).",
    };

    private readonly Option<string?> sheet = new("--sheet")
    {
        Description = "The sheet of an .xlsx file to import. Default: the first.",
    };

    private readonly Option<string?> dateFormat = new("--date-format")
    {
        Description = "The file's date format, e.g. dd/MM/yyyy or MM/dd/yyyy (.NET custom format). Default: yyyy-MM-dd only, so 05/03/2026 is rejected as ambiguous; yyyy-MM-dd is read with any format too. Timestamps may then also be this format, a space and H:mm[:ss] (9:05 or 09:05), with or without an offset.",
    };

    private readonly Option<string?> timeZone = new("--time-zone")
    {
        Description = "The time zone of timestamps written without an offset, e.g. Asia/Shanghai for a file of Beijing times (IANA name). "
            + "Default: UTC. A timestamp with an offset or Z keeps its own.",
    };

    private readonly Option<int> maxErrors = new("--max-errors")
    {
        Description = "Report at most this many problems (default 100); reading stops there.",
        DefaultValueFactory = _ => 100,
    };

    private readonly Option<string?> items = new("--items")
    {
        Description = "With entity orders: a file of their lines (the columns of order-items), imported with the orders in one transaction. "
            + "Each new order is written once, with its lines' cost and units; nothing of either file is saved unless both are valid. "
            + "Both files are read with the same --delimiter, --encoding, --sheet, --date-format and --time-zone.",
    };

    private readonly Option<bool> replace = new("--replace")
    {
        Description = "With entity order-items (or orders --items): the file's lines of each order it names are that order's whole set of lines. "
            + "Stored lines of those orders that the file lacks (by line_no) are deleted, and their stock, cost and units are taken back. "
            + "Orders the file does not name keep their lines. A row with the order's key and line_no, sku, quantity and unit_price all blank "
            + "says the order has no lines: every line of it is deleted, and its cost and units become 0. Without it, a file never removes a line.",
    };

    private readonly Option<string?> merchant = new("--merchant", "-m")
    {
        Description = "Only this merchant's rows (its id or code): a row whose merchant_code or merchant_id names another merchant is an error, and nothing is written; "
            + "the file may then leave both columns out (its rows are this merchant's). For a file a merchant handed over. Not with merchants or exchange-rates.",
    };

    private readonly Option<string[]> newWarehouses = new("--new-warehouse")
    {
        Description = "With entity purchases, stock-counts or inventory: a warehouse code the file may open (several by repeating the option). "
            + "Without it a row may name only a warehouse its merchant has (its shipping warehouse, or one it holds stock in), so a typo cannot open a position of phantom stock.",
    };

    private readonly Option<bool> lateCounts = new("--late-counts")
    {
        Description = "With entity stock-counts: record a count older than its position's latest posted count as history. It adjusts nothing (the newer count stands), "
            + "so without this option such a row is an error naming the latest count.",
    };

    private readonly Option<bool> dryRun = new("--dry-run")
    {
        Description = "Validate everything against the database and report what would be inserted, updated and left unchanged; write nothing.",
    };

    private readonly Database database;

    public ImportCommand(CommandRunner runner, Database database)
        : base("import", Help())
    {
        this.database = database;
        Arguments.Add(entity);
        Arguments.Add(file);
        Options.Add(delimiter);
        Options.Add(encoding);
        Options.Add(sheet);
        Options.Add(dateFormat);
        Options.Add(timeZone);
        Options.Add(maxErrors);
        Options.Add(items);
        Options.Add(replace);
        Options.Add(merchant);
        Options.Add(newWarehouses);
        Options.Add(lateCounts);
        Options.Add(dryRun);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(entity)!;
        var target = ImportEntities.Find(name) ?? throw CliException.Validation(
            $"Unknown entity '{name}'. Choose one of: {string.Join(", ", ImportEntities.All.Select(e => e.Name))}.",
            new { field = "entity", entity = name, entities = ImportEntities.All.Select(e => e.Name) });
        var path = ExistingFile(parseResult.GetValue(file)!);
        var settings = new ImportSettings(DateFormatOf(parseResult.GetValue(dateFormat)), parseResult.GetValue(maxErrors), TimeZoneOf(parseResult.GetValue(timeZone)),
            await OnlyMerchantAsync(parseResult, target, cancellationToken));
        if (settings.MaxErrors < 1)
        {
            throw CliException.Validation($"--max-errors must be at least 1, not {settings.MaxErrors}.", new { field = "--max-errors", maxErrors = settings.MaxErrors });
        }
        var dry = parseResult.GetValue(dryRun);
        var replaceLines = parseResult.GetValue(replace);
        if (replaceLines && target != OrderItemsCsv.Entity && !(target == OrdersCsv.Entity && parseResult.GetValue(items) is not null))
        {
            throw CliException.Validation($"--replace goes with entity order-items (or orders with --items): it makes the file each order's whole set of lines, not {target.Name}.",
                new { entity = target.Name, field = "--replace" });
        }
        if (target != PurchasesCsv.Entity && target != StockCountsCsv.Entity && target != InventoryCsv.Entity && parseResult.GetValue(newWarehouses) is { Length: > 0 })
        {
            throw CliException.Validation($"--new-warehouse goes with entity purchases, stock-counts or inventory (the rows that name a warehouse), not {target.Name}.",
                new { entity = target.Name, field = "--new-warehouse" });
        }
        if (target != StockCountsCsv.Entity && parseResult.GetValue(lateCounts))
        {
            throw CliException.Validation($"--late-counts goes with entity stock-counts, not {target.Name}.", new { entity = target.Name, field = "--late-counts" });
        }
        if (parseResult.GetValue(items) is { } itemsPath)
        {
            if (target != OrdersCsv.Entity)
            {
                throw CliException.Validation($"--items goes with entity orders (it names their lines' file), not {target.Name}.", new { field = "--items", entity = target.Name, items = itemsPath });
            }
            return await ImportOrdersWithItemsAsync(parseResult, path, ExistingFile(itemsPath), settings, dry, cancellationToken);
        }

        using var source = Open(path, parseResult);
        var progress = Console.IsErrorRedirected ? null : new Progress(Stopwatch.GetTimestamp());
        ImportRun? run = null;
        IngestResult result;
        try
        {
            var header = ReadHeader(source, target, path, settings.Merchant is not null);
            run = new ImportRun(source, header, settings, progress is null ? null : progress.Report);
            var ingestor = (await database.GetErpAsync(parseResult, cancellationToken)).Ingest
                .With(new IngestOptions
                {
                    DryRun = dry,
                    MaxErrors = settings.MaxErrors,
                    SuppliedFields = Supplied(header, settings),
                    ReplaceOrderLines = replaceLines,
                    NewWarehouses = NewWarehouses(parseResult),
                    RefuseLateCounts = !parseResult.GetValue(lateCounts),
                });
            result = await target.ImportAsync(ingestor, run, cancellationToken);
        }
        catch (DecoderFallbackException e)
        {
            throw Rejected(path, [.. run?.Problems ?? [], Unreadable(e, path, source, parseResult.GetValue(encoding) is not null)]);
        }
        catch (CsvImportException e)
        {
            throw Rejected(path, e.Problems, settings.MaxErrors);
        }
        catch (IngestException e)
        {
            throw Rejected(path, Refused(run, e), settings.MaxErrors);
        }
        catch (CsvHelperException e)
        {
            throw Rejected(path, [Unreadable(e, path, source, parseResult.GetValue(encoding) is not null)]);
        }
        catch (Exception e) when (e is System.Xml.XmlException || (e is InvalidDataException && source is XlsxSource))
        {
            // A sheet MiniExcel refuses while its rows are read (a DTD, broken markup), or a cell too long, as one it refuses when opened.
            throw NotAWorkbook(path, e);
        }
        finally
        {
            progress?.Done();
        }

        var rate = ImportRate.Value(result.Total, result.Elapsed);
        var data = new
        {
            entity = target.Name,
            table = target.Table,
            file = Path.GetFullPath(path),
            format = source.Description,
            dryRun = dry,
            rows = result.Total,
            inserted = result.Inserted,
            updated = result.Updated,
            unchanged = result.Unchanged,
            total = result.Total,
            // Stored rows deleted: lines a --replace file no longer has; 0 for every other import.
            deleted = result.Deleted,
            elapsedMs = Math.Round(result.Elapsed.TotalMilliseconds, 1),
            rowsPerSecond = rate,
            reports = ReportsAfter(dry, result.Inserted + result.Updated + result.Deleted),
        };
        var deletedText = replaceLines ? $" {(dry ? "Would delete" : "Deleted")} {result.Deleted} stored line(s) the file no longer has." : "";
        var summary = (dry
            ? $"Dry run: {result.Total} row(s) of {path} ({source.Description}) are valid; would insert {result.Inserted}, update {result.Updated}, leave {result.Unchanged} unchanged in {target.Table}. Nothing was written."
            : $"Imported {result.Total} row(s) of {path} ({source.Description}) into {target.Table} in {result.Elapsed.TotalMilliseconds:0} ms ({ImportRate.Text(result.Total, result.Elapsed)}).") + deletedText
            + (data.reports is { } reports ? " " + reports : "");
        var table = new TableView(
            ["entity", "inserted", "updated", "unchanged", "total"],
            [[target.Name, Text(result.Inserted), Text(result.Updated), Text(result.Unchanged), Text(result.Total)]],
            summary);
        return new CommandResult(data, table);
    }

    private ImportSource Open(string path, ParseResult parseResult)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".xlsx" or ".xlsm")
        {
            try
            {
                var xlsx = new XlsxSource(path, parseResult.GetValue(sheet));
                if (parseResult.GetValue(sheet) is { } wanted && !xlsx.Sheets.Contains(wanted))
                {
                    throw CliException.Validation($"The workbook has no sheet '{wanted}'; its sheets are {string.Join(", ", xlsx.Sheets)}.",
                        new { file = path, sheet = wanted, sheets = xlsx.Sheets });
                }
                return xlsx;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or System.Xml.XmlException)
            {
                throw NotAWorkbook(path, e);
            }
        }
        if (extension is ".xls")
        {
            throw CliException.Validation($"{path} is an Excel 97-2003 .xls file: save it as .xlsx or .csv.", new { file = path });
        }
        var separator = parseResult.GetValue(delimiter) switch
        {
            null => extension is ".tsv" or ".tab" ? "\t" : ",",
            "tab" or "\\t" or "\t" => "\t",
            "," or ";" or "|" => parseResult.GetValue(delimiter)!,
            var other => throw CliException.Validation($"--delimiter '{other}' is not one of ',', ';', '|', 'tab'.", new { field = "--delimiter", delimiter = other }),
        };
        if (TextEncodings.HasUtf16Bom(path))
        {
            throw CliException.Validation($"{path} is UTF-16 text (what Excel saves as 'Unicode Text'), which import does not read: "
                + "save it as 'CSV UTF-8' (or tab-separated in UTF-8), or convert it, e.g. iconv -f UTF-16 -t UTF-8.", new { file = path, encoding = "utf-16" });
        }
        string encodingName;
        try
        {
            encodingName = TextEncodings.Resolve(path, parseResult.GetValue(encoding));
        }
        catch (ArgumentException)
        {
            throw CliException.Validation($"--encoding '{parseResult.GetValue(encoding)}' is not one of {string.Join(", ", TextEncodings.Names)}.",
                new { field = "--encoding", encoding = parseResult.GetValue(encoding) });
        }
        catch (AmbiguousEncodingException e)
        {
            throw CliException.Validation(e.Message, new { file = path, asUtf8 = e.AsUtf8, asGbk = e.AsGbk });
        }
        return new CsvSource(path, encodingName, separator);
    }

    private static TimeZoneInfo? TimeZoneOf(string? name)
    {
        if (name is null)
        {
            return null;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw CliException.Validation($"--time-zone '{name}' is not a time zone this machine knows: give an IANA name such as Asia/Shanghai or UTC.", new { field = "--time-zone", timeZone = name });
        }
    }

    private static string? DateFormatOf(string? format)
    {
        if (format is null)
        {
            return null;
        }
        var probe = new DateOnly(2026, 11, 23);
        string text;
        try
        {
            text = probe.ToString(format, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            text = "";
        }
        // The format must round-trip a date whose day and month differ, and carry a year, a month and a day.
        if (!DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var back) || back != probe)
        {
            throw CliException.Validation($"--date-format '{format}' is not a date format with a day, a month and a year (e.g. dd/MM/yyyy).", new { field = "--date-format", dateFormat = format });
        }
        return format;
    }

    /// <summary>
    /// <c>erpdb import orders FILE --items FILE</c>: both files in one call (Ingestor.UpsertOrdersWithItemsAsync), the lines read
    /// first. A problem names the file and line it is in; nothing of either file is saved unless both are valid.
    /// </summary>
    private async Task<CommandResult> ImportOrdersWithItemsAsync(ParseResult parseResult, string path, string itemsPath, ImportSettings settings, bool dry,
        CancellationToken cancellationToken)
    {
        using var source = Open(path, parseResult);
        using var itemsSource = Open(itemsPath, parseResult);
        // Both headers are checked before either file is read, so that a problem in each is reported in one run.
        var headerProblem = HeaderProblem(source, OrdersCsv.Entity, settings.Merchant is not null, out var header);
        var itemsHeaderProblem = HeaderProblem(itemsSource, OrderItemsCsv.Entity, settings.Merchant is not null, out var itemsHeader);
        if (headerProblem is not null || itemsHeaderProblem is not null)
        {
            throw Rejected([(path, headerProblem is null ? [] : [headerProblem]), (itemsPath, itemsHeaderProblem is null ? [] : [itemsHeaderProblem])]);
        }
        var run = new ImportRun(source, header, settings);
        var itemsRun = new ImportRun(itemsSource, itemsHeader, settings);
        OrdersWithItemsResult result;
        try
        {
            var ingestor = (await database.GetErpAsync(parseResult, cancellationToken)).Ingest.With(new IngestOptions
            {
                DryRun = dry,
                MaxErrors = settings.MaxErrors,
                SuppliedFields = Supplied(header, settings),
                SuppliedItemFields = Supplied(itemsHeader, settings),
                ReplaceOrderLines = parseResult.GetValue(replace),
            });
            result = await ingestor.UpsertOrdersWithItemsAsync(OrdersCsv.Entity.Rows(run, cancellationToken), OrderItemsCsv.Entity.Rows(itemsRun, cancellationToken), cancellationToken);
        }
        catch (CsvImportException)
        {
            // The lines are read first, and problems of theirs stop the call before the orders are read: read the orders now
            // (up to --max-errors in all), so that the problems of both files are reported at once.
            var left = settings.MaxErrors - itemsRun.Problems.Count;
            var orderProblems = itemsRun.Problems.Count > 0 && run.Records == 0 && left > 0
                ? ProblemsOf(OrdersCsv.Entity, new ImportRun(source, header, settings with { MaxErrors = left }), path, source, parseResult.GetValue(encoding) is not null, cancellationToken)
                : [.. run.Problems.Take(settings.MaxErrors)];
            throw Rejected([(path, orderProblems), (itemsPath, [.. itemsRun.Problems.Take(settings.MaxErrors)])], settings.MaxErrors);
        }
        catch (IngestException e) when (e.Input == OrderItemsCsv.Entity.Name)
        {
            throw Rejected([(path, []), (itemsPath, Refused(itemsRun, e))], settings.MaxErrors);
        }
        catch (IngestException e)
        {
            // The lines are checked against the database after their orders are written: refused orders leave them unchecked.
            throw Rejected([(path, Refused(run, e)), (itemsPath, [])], settings.MaxErrors);
        }
        catch (Exception e) when (e is DecoderFallbackException or CsvHelperException or System.Xml.XmlException or InvalidDataException)
        {
            throw CliException.Validation($"{itemsPath} or {path} cannot be read ({e.Message}): import each alone to find the line. Nothing was imported.",
                new { file = path, items = itemsPath });
        }

        // Each result's Elapsed is the whole call's.
        var (rows, elapsed) = (result.Orders.Total + result.Items.Total, result.Orders.Elapsed);
        var data = new
        {
            entity = OrdersCsv.Entity.Name,
            file = Path.GetFullPath(path),
            items = Path.GetFullPath(itemsPath),
            format = source.Description,
            itemsFormat = itemsSource.Description,
            dryRun = dry,
            // The orders and the lines read, as a plain import's rows; each file's counts are in orders and orderItems.
            rows,
            orders = new { inserted = result.Orders.Inserted, updated = result.Orders.Updated, unchanged = result.Orders.Unchanged, total = result.Orders.Total },
            orderItems = new
            {
                inserted = result.Items.Inserted,
                updated = result.Items.Updated,
                unchanged = result.Items.Unchanged,
                total = result.Items.Total,
                deleted = result.Items.Deleted,
            },
            elapsedMs = Math.Round(elapsed.TotalMilliseconds, 1),
            rowsPerSecond = ImportRate.Value(rows, elapsed),
            reports = ReportsAfter(dry, result.Orders.Inserted + result.Orders.Updated + result.Items.Inserted + result.Items.Updated + result.Items.Deleted),
        };
        var summary = dry
            ? $"Dry run: {result.Orders.Total} order(s) of {path} and {result.Items.Total} line(s) of {itemsPath} are valid. Nothing was written."
            : $"Imported {result.Orders.Total} order(s) of {path} and {result.Items.Total} line(s) of {itemsPath} in one transaction in {elapsed.TotalMilliseconds:0} ms ({ImportRate.Text(rows, elapsed)})."
              + (data.reports is { } reports ? " " + reports : "");
        var table = new TableView(
            ["entity", "inserted", "updated", "unchanged", "total"],
            [
                [OrdersCsv.Entity.Name, Text(result.Orders.Inserted), Text(result.Orders.Updated), Text(result.Orders.Unchanged), Text(result.Orders.Total)],
                [OrderItemsCsv.Entity.Name, Text(result.Items.Inserted), Text(result.Items.Updated), Text(result.Items.Unchanged), Text(result.Items.Total)],
            ],
            summary);
        return new CommandResult(data, table);
    }

    /// <summary>The rows the database refused, as lines of the file: a repeated key names the line of the row it repeats, not that row's number.</summary>
    private static List<ImportProblem> Refused(ImportRun? run, IngestException e)
    {
        long Line(long row) => run?.LineOf(row) ?? row + 1;
        // An order_date a day off its ordered_at, when the file's times had no offset: they were local times more often than not.
        string Hint(IngestError x) => x.Field == "order_date" && run?.ReadAsUtc == true && x.Reason.Contains("does not match ordered_at", StringComparison.Ordinal)
            ? "; ordered_at without an offset is read as UTC: if the file's times are local, name their zone with --time-zone (e.g. Asia/Shanghai)"
            : "";
        return [.. e.Errors.Select(x => new ImportProblem(Line(x.RowNumber), x.Field, x.Constraint, x.SameKeyAsRow is { } first
            ? $"the key ({x.Field}) is the same as line {Line(first).ToString(System.Globalization.CultureInfo.InvariantCulture)}'s; a file may hold each key once"
            : x.Reason + Hint(x)))];
    }

    /// <summary>The problems of a file read to its end (or to <paramref name="run"/>'s --max-errors) without importing it.</summary>
    private static IReadOnlyList<ImportProblem> ProblemsOf(ImportEntity target, ImportRun run, string path, ImportSource source, bool encodingNamed,
        CancellationToken cancellationToken)
    {
        try
        {
            target.CountRows(run, cancellationToken);
            return [];
        }
        catch (CsvImportException e)
        {
            return e.Problems;
        }
        catch (Exception e) when (e is DecoderFallbackException or CsvHelperException)
        {
            return [.. run.Problems, Unreadable(e, path, source, encodingNamed)];
        }
    }

    /// <summary>The line a file could not be read at: bytes not valid in its encoding, or a line that is not CSV.</summary>
    private static ImportProblem Unreadable(Exception e, string path, ImportSource source, bool encodingNamed) => e switch
    {
        MaxFieldSizeException big => new ImportProblem(big.Context?.Parser?.RawRow ?? 1, null, null,
            $"a cell is longer than {CsvSource.MaxCellLength:N0} characters: the file is not a table of rows (or a quote opened early runs on)"),
        CsvHelperException csv => NotCsv(csv.Context?.Parser),
        // The reader decodes ahead of the parser, so the parser's line is not where the bad bytes are: InvalidEncoding finds that line.
        _ => InvalidEncoding(path, source is CsvSource text ? text.Encoding : TextEncodings.Utf8Name, encodingNamed, source),
    };

    /// <summary>
    /// The line a record that is not CSV starts on. A quote opened and never closed makes the parser read on, line breaks and all,
    /// to the end of the file, where it fails: the line it reports is the last, and the record's own text holds the lines since.
    /// </summary>
    private static ImportProblem NotCsv(CsvHelper.IParser? parser)
    {
        var last = parser?.RawRow ?? 0;
        var record = parser?.RawRecord ?? "";
        var first = last - record.Count(c => c == '\n');
        var end = record.EndsWith('\n') ? last - 1 : last;
        return end > first && first > 0
            ? new ImportProblem(first, null, null, $"a quoted field opened on this line is not closed: the record runs on to line {end} (check its quotes)")
            : new ImportProblem(last, null, null, "the line is not valid CSV (check its quotes)");
    }

    /// <summary>
    /// The path of a file import can read: one that exists, is not a folder, and can be read more than once (its encoding and
    /// bad lines are found by reading it again), which a pipe (/dev/stdin, a shell's &lt;(...)) cannot.
    /// </summary>
    private static string ExistingFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw CliException.Validation($"{path} is a folder: name the file to import in it.", new { file = path });
        }
        if (!File.Exists(path))
        {
            throw CliException.Validation($"File not found: {path} (a relative path starts from {Environment.CurrentDirectory}).", new { file = path });
        }
        string target;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            if (!stream.CanSeek)
            {
                throw CliException.Validation($"{path} is a pipe, and import reads its file more than once (its encoding first, then its rows): "
                    + "save what it carries to a file and import that file, e.g. '... > orders.csv && erpdb import orders orders.csv'.", new { file = path });
            }
            // The file opened, whatever links led to it (a linked folder too): Linux names it under /proc/self/fd.
            target = new FileInfo($"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}").LinkTarget
                ?? new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        // A device or a kernel file (/dev/zero, /proc/self/environ) is no table: one never ends, others hold secrets.
        return SystemFolders.Any(f => target.StartsWith(f, StringComparison.Ordinal))
            ? throw CliException.Validation($"{path} is a device or system file ({target}), not a file to import.", new { file = path })
            : path;
    }

    /// <summary>The codes --new-warehouse gives (a code may hold a comma): a set, empty without the option, so that every import checks its codes.</summary>
    private HashSet<string> NewWarehouses(ParseResult parseResult) => [.. (parseResult.GetValue(newWarehouses) ?? []).Select(w => w.Trim())];

    private static CliException NotAWorkbook(string path, Exception e) =>
        CliException.Validation($"{path} is not a readable .xlsx workbook: {e.Message}", new { file = path });

    private static readonly string[] SystemFolders = ["/dev/", "/proc/", "/sys/"];

    /// <summary>Spaces or hyphens between the words of a column name, which snake_case writes as one underscore.</summary>
    [GeneratedRegex(@"[ \u00A0-]+")]
    private static partial Regex WordSeparators();

    private static string[] ReadHeader(ImportSource source, ImportEntity target, string path, bool merchantGiven) =>
        HeaderProblem(source, target, merchantGiven, out var header) is { } problem ? throw Rejected(path, [problem]) : header;

    /// <summary>The fields a file gives: its header's, and merchant_code when --merchant gives it to rows that name none.</summary>
    private static HashSet<string> Supplied(string[] header, ImportSettings settings) =>
        [.. header, .. settings.Merchant is null ? [] : new[] { "merchant_code" }];

    /// <summary>The merchant --merchant names (any the login sees: writers need no grant), or null; refused for an entity without a merchant column.</summary>
    private async Task<ImportMerchant?> OnlyMerchantAsync(ParseResult parseResult, ImportEntity target, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(merchant) is not { } requested || string.IsNullOrWhiteSpace(requested))
        {
            return null;
        }
        if (!target.Columns.Any(c => c.Name == "merchant_code" && c.Or == "merchant_id"))
        {
            throw CliException.Validation($"--merchant goes with an entity of a merchant's rows, not {target.Name}.", new { field = "--merchant", entity = target.Name });
        }
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var id = await Bi.MerchantOption.ResolveAsync(erp, requested, cancellationToken, toWrite: true);
        return new ImportMerchant(id, (await erp.Queries.MerchantsAsync(cancellationToken)).Single(m => m.MerchantId == id).Code);
    }

    /// <summary>
    /// Reads the header (names as spreadsheets write them: MERCHANT_CODE, Merchant Code or merchant-code is merchant_code) and returns what is
    /// wrong with it for <paramref name="target"/>, or null when nothing is.
    /// </summary>
    private static ImportProblem? HeaderProblem(ImportSource source, ImportEntity target, bool merchantGiven, out string[] header)
    {
        header = [];
        if (source.ReadHeader() is not { Length: > 0 } read || read.All(string.IsNullOrEmpty))
        {
            return new ImportProblem(1, null, null, "the file is empty; the first line must be the header");
        }
        var names = read.Select(h => WordSeparators().Replace(h.Trim().ToLowerInvariant(), "_")).ToArray();
        header = names;
        var unknown = names.Where(h => target.Columns.All(c => c.Name != h)).ToList();
        var otherDelimiter = unknown.Any(h => h.Contains('\t', StringComparison.Ordinal) || h.Contains(';', StringComparison.Ordinal) || h.Contains('|', StringComparison.Ordinal))
            ? " (the header holds another delimiter: name it with --delimiter tab, ';' or '|')"
            : "";
        if (unknown.Count == names.Length)
        {
            // Quoted back, a first line that is no header at all could be anything the path named (a password file, an environment):
            // it is described, never shown.
            return new ImportProblem(1, null, null,
                $"the first line is not a header of {target.Name}: none of its {names.Length} cell(s) names one of its columns{otherDelimiter}; "
                + $"the columns of {target.Name} are {string.Join(", ", target.Columns.Select(c => c.Name))}");
        }
        if (unknown.Count > 0)
        {
            var hint = otherDelimiter.Length > 0 ? otherDelimiter
                : unknown.Contains("") ? " (an empty name between two columns: name that column, or delete it)" : "";
            return new ImportProblem(1, unknown[0], null,
                $"unknown column(s) {string.Join(", ", unknown.Take(10).Select(h => h.Length == 0 ? "''" : h.Length > 40 ? h[..40] + "..." : h))}"
                + $"{(unknown.Count > 10 ? $" and {unknown.Count - 10} more" : "")}{hint}; the columns of {target.Name} are {string.Join(", ", target.Columns.Select(c => c.Name))}");
        }
        // column names the first missing column alone (merchant_code), as every problem's column does; the reason names its alternative.
        var missing = target.Columns.Where(c => c.Required && !names.Contains(c.Name)).Select(c => (c.Name, Text: c.Name))
            .Concat(target.Columns.Where(c => c.Or is not null && !names.Contains(c.Name) && !names.Contains(c.Or) && !(merchantGiven && c.Name == "merchant_code"))
                .Select(c => (c.Name, Text: $"{c.Name} (or {c.Or})")))
            .ToList();
        if (missing.Count > 0)
        {
            return new ImportProblem(1, missing[0].Name, null, $"missing required column(s) {string.Join(", ", missing.Select(m => m.Text))}");
        }
        var twice = names.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? null : new ImportProblem(1, twice.Key, null, $"column {twice.Key} appears more than once");
    }

    /// <summary>
    /// The line whose bytes are not valid in the file's encoding, the column they are in and advice that fits: a UTF-8 file holds a damaged
    /// or cut-off character there (or is in another encoding); a file read as GB18030 is neither UTF-8 nor GBK there.
    /// </summary>
    private static ImportProblem InvalidEncoding(string path, string encodingName, bool named, ImportSource source)
    {
        var bad = TextEncodings.FirstInvalidLine(path, encodingName);
        var line = bad?.Line ?? Math.Max(source is CsvSource c ? c.CurrentLine : 1, 1);
        string? column = null;
        if (bad?.FirstLine is { } first && source is CsvSource csv)
        {
            // The header as ReadHeader reads it (the reader decodes ahead, so it may have failed before the header was parsed).
            var header = first.Split(csv.Delimiter).Select(h => h.Trim().Trim('"').Trim().ToLowerInvariant()).ToArray();
            // The cells before the bad bytes, counted outside quotes, name the column they are in.
            var cells = 0;
            var quoted = false;
            foreach (var ch in bad.Before)
            {
                quoted ^= ch == '"';
                cells += !quoted && csv.Delimiter.Length == 1 && ch == csv.Delimiter[0] ? 1 : 0;
            }
            column = cells < header.Length ? header[cells] : null;
        }
        var where = $"{(column is null ? "the line" : column)} has the bytes {bad?.Hex ?? "?"}";
        var reason = encodingName == TextEncodings.Utf8Name
            ? $"the line is not valid UTF-8: {where}, which are not a UTF-8 character (cut off or damaged); correct them{(named ? ", or name the file's real encoding with --encoding gbk" : ", or if the file is not UTF-8, name its encoding with --encoding gbk")}"
            : $"the line is not valid GB18030/GBK: {where}, which are not a GBK character; correct them, or if the file is in another encoding, save it as UTF-8{(named ? " or name it with --encoding utf-8" : "")}";
        return new ImportProblem(line, column, null, reason);
    }

    /// <summary>All problems, one line each in the message (the first line is the first problem), and as <c>details.problems</c>.</summary>
    private static CliException Rejected(string path, IReadOnlyList<ImportProblem> problems, int? maxErrors = null) => Rejected([(path, problems)], maxErrors);

    /// <summary>
    /// All problems of the files of one import, file by file: one line each in the message (the first line is the first problem;
    /// with several files each line names its file), and as <c>details.problems</c>. Nothing of any of the files was imported.
    /// <paramref name="maxErrors"/> is the --max-errors that reading and checking stopped at, when the problems were collected
    /// up to it: reaching it, the message says the list is not the whole, and <c>details.stoppedAtMaxErrors</c> is true.
    /// </summary>
    private static CliException Rejected(IReadOnlyList<(string Path, IReadOnlyList<ImportProblem> Problems)> files, int? maxErrors = null)
    {
        var sorted = files.SelectMany(f => f.Problems.OrderBy(p => p.Line).Select(p => (f.Path, Problem: p))).ToList();
        var lines = sorted.Select(x => $"{(files.Count > 1 ? $"{x.Path} line" : "Line")} {x.Problem.Line}: {x.Problem.Reason}{(x.Problem.Constraint is null ? "" : $" ({x.Problem.Constraint})")}.").ToList();
        var paths = string.Join(" or of ", files.Select(f => f.Path));
        var stopped = maxErrors is { } max && sorted.Count >= max;
        var count = stopped
            ? $"The first {(sorted.Count == 1 ? "problem" : $"{sorted.Count} problems")} (reading stopped at --max-errors {maxErrors})"
            : $"{sorted.Count} problems";
        var message = sorted.Count == 1 && !stopped
            ? $"{lines.First()} Nothing of {paths} was imported."
            : $"{string.Join("\n", lines)}\n{count}; nothing of {paths} was imported.";
        return CliException.Validation(message, new
        {
            problems = sorted.Select((x, i) => new { file = x.Path, line = x.Problem.Line, column = x.Problem.Column, constraint = x.Problem.Constraint, reason = x.Problem.Reason, message = lines[i] }).ToList(),
            stoppedAtMaxErrors = stopped,
        });
    }

    /// <summary><c>erpdb import ENTITY --help</c>: that entity's columns, each with its note and default, instead of every entity's names.</summary>
    public void DescribeFor(ParseResult parseResult)
    {
        if (parseResult.GetResult(entity)?.Tokens is [var token, ..] && ImportEntities.Find(token.Value) is { } named)
        {
            Description = $"{named.Help()}\n\n{Common}";
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// When an import wrote something, when the reports count it: most BI commands read materialized views and results that the
    /// due refresh brings up to date, not the tables an import writes (docs/refresh.md); receivables, receipts, movements, stock and
    /// alerts read the tables. Null for a dry run or nothing changed.
    /// </summary>
    private static string? ReportsAfter(bool dry, long changed) => dry || changed == 0
        ? null
        : "The reports read from views (those listed in their meta.freshness) count the change once the next due refresh has run, every minute "
            + "where it is scheduled (pg_cron job refresh_due or a RefreshWorker; erpdb doctor checks); receivables, receipts, movements, stock and alerts "
            + "show it now. To refresh at once: erpdb refresh --due";

    /// <summary>What every import shares: one batch, every problem at once, the formats of values.</summary>
    private const string Common = "Import a CSV, TSV or Excel .xlsx file into the warehouse as one batch.\nNew keys are inserted, changed rows "
        + "updated, identical rows left alone. Any bad line (the header is line 1; in a sheet, its row) fails the whole file, every problem "
        + "is reported at once (up to --max-errors) and nothing is saved. Header names are snake_case; * = required; a blank cell takes the "
        + "default. Text files are UTF-8 (BOM or not) or GB18030/GBK, detected or named by --encoding. Dates yyyy-MM-dd (and --date-format's), "
        + "timestamps ISO 8601 (without an offset: UTC, or the --time-zone given), numbers with a '.' decimal point, no thousands separator "
        + "and no more decimals than the column keeps. An order's order_date must be the date of ordered_at in the shop's time zone (the "
        + "merchant's when the shop has none); importing an order again with a corrected order_date moves it. See docs/importing.md.";

    private static string Help()
    {
        var help = new StringBuilder(Common);
        help.Append("\n\n'erpdb import ENTITY --help' shows an entity's columns with their notes and defaults.");
        foreach (var e in ImportEntities.All)
        {
            help.Append(CultureInfo.InvariantCulture, $"\n\n{e.Name} ({e.Table}):\n  ");
            help.AppendJoin(", ", e.Columns.Where(c => e.Columns.All(o => o.Or != c.Name))
                .Select(c => c.Required ? c.Name + "*" : c.Or is not null ? $"{c.Name}|{c.Or}*" : c.Name));
        }
        return help.ToString();
    }

    /// <summary>Records read so far, on stderr, when stderr is a terminal.</summary>
    private sealed class Progress(long started)
    {
        private bool shown;

        public void Report(long records)
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{records:N0} records read ({records / Math.Max(seconds, 0.001):N0}/s)   "));
            shown = true;
        }

        public void Done()
        {
            if (shown)
            {
                Console.Error.WriteLine();
            }
        }
    }
}

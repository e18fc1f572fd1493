using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Erp.Db.Cli.Commands;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.LocalServer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using CommandResult = System.CommandLine.Parsing.CommandResult;

namespace Erp.Db.Cli;

/// <summary>Builds the host and the command tree, parses, and runs: the whole of erpdb.</summary>
internal static class ErpDbCli
{
    /// <summary>Runs erpdb with the given arguments, writers and environment; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, environment, directory: null, cancellationToken);

    /// <summary>Runs erpdb as if started in <paramref name="directory"/>; returns the exit code.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="directory">Where appsettings.json and erpdb.json are read from; the current directory when null.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, string? directory,
        CancellationToken cancellationToken)
    {
        directory ??= Directory.GetCurrentDirectory();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configurationFiles = ConfigurationFiles.Add(builder.Configuration, directory);
        builder.Logging.AddProvider(new ErrorStreamLoggerProvider(error)).SetMinimumLevel(
            environment("ERPDB_LOG_LEVEL") is { } level && Enum.TryParse<LogLevel>(level, true, out var parsed) ? parsed : LogLevel.Warning);

        var services = builder.Services;
        var console = new CliConsole(output, error, CliConsole.IsTerminalWriter(output));
        services.AddSingleton(console);
        services.AddSingleton(configurationFiles);
        services.AddSingleton(new CliEnvironment(environment));
        services.AddSingleton(s => new CommandOutput(output, error, TextTable.Width(environment, console.IsTerminal), csvByteOrderMark: !console.IsTerminal));
        services.AddSingleton<GlobalOptions>();
        services.AddSingleton(s => new LocalPostgresServer(
            new LocalServerOptions { Home = environment("ERPDB_HOME") is { Length: > 0 } home ? home : LocalServerOptions.DefaultHome() },
            s.GetRequiredService<ILoggerFactory>().CreateLogger<LocalPostgresServer>()));
        services.AddSingleton<ConnectionResolver>();
        services.AddSingleton<Database>();
        // The library is composed as an app would: AddErpDb over the ErpDb section, then the connection
        // erpdb resolved and the command line's schema options on top.
        services.AddErpDb(builder.Configuration.GetSection(ErpDbOptions.SectionName));
        services.AddOptions<ErpDbOptionsBuilder>().PostConfigure<Database>((options, database) => database.Configure(options));
        services.AddSingleton<CommandRunner>();
        services.AddSingleton<Command, MigrateCommand>();
        services.AddSingleton<Command, StatusCommand>();
        services.AddSingleton<Command, VerifyCommand>();
        services.AddSingleton<Command, ScriptCommand>();
        services.AddSingleton<Command, DoctorCommand>();
        services.AddSingleton<Command, ServerCommand>();
        services.AddSingleton<Command, Commands.Bi.SalesCommand>();
        services.AddSingleton<Command, Commands.Bi.ProductsCommand>();
        services.AddSingleton<Command, Commands.Bi.CustomersCommand>();
        services.AddSingleton<Command, Commands.Bi.InventoryCommand>();
        services.AddSingleton<Command, Commands.Bi.TrendsCommand>();
        services.AddSingleton<Command, Commands.Bi.FinanceCommand>();
        services.AddSingleton<Command, Commands.Bi.ReportCommand>();
        services.AddSingleton<Command, Commands.Bi.ReceivablesCommand>();
        services.AddSingleton<Command, Commands.Bi.ReceiptsCommand>();
        services.AddSingleton<Command, Commands.Bi.MovementsCommand>();
        services.AddSingleton<Command, Commands.Bi.StockCommand>();
        services.AddSingleton<Command, Commands.Bi.AlertsCommand>();
        services.AddSingleton<Command, Commands.Bi.TargetsCommand>();
        services.AddSingleton<Command, Commands.Bi.CampaignsCommand>();
        services.AddSingleton<Command, Commands.Bi.ShopsCommand>();
        services.AddSingleton<Command, Commands.Bi.UsersCommand>();
        services.AddSingleton<Command, Commands.Bi.FunnelCommand>();
        services.AddSingleton<Command, Commands.Bi.ProfitCommand>();
        services.AddSingleton<Command, ImportCommand>();
        services.AddSingleton<Command, RefreshCommand>();
        services.AddSingleton<Command, ViewsCommand>();
        services.AddSingleton<Command, SeedCommand>();
        services.AddSingleton<Command, PostCommand>();

        var host = builder.Build();
        await using var disposeHost = (IAsyncDisposable)host;
        var globals = host.Services.GetRequiredService<GlobalOptions>();
        var root = new RootCommand("erpdb: migrate, verify, refresh and query the Erp.Db PostgreSQL warehouse. 'erpdb COMMAND --help' describes a command in full."
            + " Exit codes: 0 done; 1 failed (the database, a script, the server); 2 bad input (VALIDATION_ERROR, NOT_FOUND); 7 FORBIDDEN; 8 MIGRATION_LOCKED (nothing ran: a session named in the message holds the migration lock; run again once it has ended);"
            + " verify (3 to 6) and doctor (5) add their own, in their --help.");
        root.Options.Add(globals.Connection);
        root.Options.Add(globals.Format);
        foreach (var command in host.Services.GetServices<Command>())
        {
            root.Subcommands.Add(command);
        }
        ChoiceOptions.Apply(root);
        DateOptions.Apply(root);
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Action = help.Action is HelpAction action ? new ArgumentHelpAction(action) : help.Action;
        }

        // No command at all: the overview of the commands, as --help gives it.
        // No bundling of short options: erpdb has none to bundle, and with it any word starting with "-h" or "-?" (an
        // entity or a path typed by mistake, or hostile) asked for help and exited 0 instead of being refused. No response files:
        // with them a value starting with @ (a SKU or keyword an assistant passes on) was replaced by the named file's words, so
        // any file the user may read could be echoed back in an error.
        var parseResult = root.Parse(args.Length == 0 ? ["--help"] : args, new ParserConfiguration { EnablePosixBundling = false, ResponseFileTokenReplacer = null });
        if (parseResult.Errors.Count > 0 || OptionLikeValues(parseResult).Count > 0)
        {
            var messages = Messages(parseResult);
            if (OutputFormats.FromArgs(args, OutputFormats.Default(console.IsTerminal)) == OutputFormat.Json)
            {
                host.Services.GetRequiredService<CommandOutput>().Failure(OutputFormat.Json, ErrorCodes.Validation,
                    $"{string.Join(" ", messages)} {UsageHint(parseResult)}", new { field = RefusedOption(parseResult), problems = messages.Select(m => new { message = m }) });
            }
            else
            {
                await error.WriteLineAsync(string.Join(Environment.NewLine, [.. messages, UsageHint(parseResult)]));
            }
            return ExitCodes.Usage;
        }
        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    /// <summary>The option (as typed) whose value the parser refused first, as details.field of every refused value; null for other errors.</summary>
    private static string? RefusedOption(ParseResult parseResult) => parseResult.Errors
        .Select(e => e.SymbolResult switch
        {
            OptionResult option => option.IdentifierToken?.Value,
            ArgumentResult { Parent: OptionResult option } => option.IdentifierToken?.Value,
            _ => null,
        })
        .FirstOrDefault(name => name is not null);

    /// <summary>
    /// The parse errors in the user's terms. The arguments a command misses are named, in one message: System.CommandLine
    /// says "Required argument missing for command: 'import'." once per missing argument, naming none. The words quoted keep no
    /// password (<see cref="SecretMask"/>).
    /// </summary>
    private static List<string> Messages(ParseResult parseResult) => [.. ParseMessages(parseResult).Select(SecretMask.Apply)];

    private static List<string> ParseMessages(ParseResult parseResult)
    {
        if (UnknownCommand(parseResult) is { } unknown)
        {
            return [unknown];
        }
        var missing = parseResult.Errors.Select(e => e.SymbolResult).OfType<ArgumentResult>()
            .Where(a => a.Parent is CommandResult && a.Tokens.Count < a.Argument.Arity.MinimumNumberOfValues)
            .Select(a => a.Argument).Distinct().ToList();
        // An option taken as a value comes first: the words after it were then left over, and are reported as such.
        List<string> messages = [.. OptionLikeValues(parseResult).Select(v => $"Unrecognized option '{v}'."),
            .. parseResult.Errors.Where(e => e.SymbolResult is not ArgumentResult a || !missing.Contains(a.Argument)).Select(e => Plain(e.Message))];
        if (missing.Count > 0)
        {
            var names = string.Join(" and ", missing.Select(a => $"<{a.HelpName ?? a.Name}>"));
            messages.Insert(0, missing.Count == 1 ? $"The argument {names} is missing." : $"The arguments {names} are missing.");
        }
        return messages;
    }

    /// <summary>
    /// A word that is no command of the command it follows (erpdb's, or server's), or none given where one is needed, in one sentence
    /// naming the nearest and every command: System.CommandLine says "Required command was not provided. Unrecognized command or
    /// argument 'salez'.", which names no command.
    /// </summary>
    private static string? UnknownCommand(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        if (command.Subcommands.Count == 0)
        {
            return null;
        }
        var names = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        var invoked = command is RootCommand ? "erpdb" : $"erpdb {command.Name}";
        // A command with subcommands takes no arguments: a word left over there was meant as a command.
        if (parseResult.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-')) is not { } word)
        {
            return $"'{invoked}' needs a command: {string.Join(", ", names)}.";
        }
        var nearest = names.Select(n => (Name: n, Distance: EditDistance(word.ToLowerInvariant(), n))).MinBy(n => n.Distance);
        var guess = nearest.Distance <= Math.Max(1, nearest.Name.Length / 3) ? $" Did you mean '{nearest.Name}'?" : "";
        return $"'{word}' is not an {invoked} command.{guess} The commands: {string.Join(", ", names)}.";
    }

    /// <summary>Levenshtein distance: the fewest single-character insertions, deletions and substitutions from one word to the other.</summary>
    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    /// <summary>
    /// Words a command's arguments took that look like options. An argument that takes any word (refresh's view names, import's
    /// file) takes an option erpdb does not have as its value, and the command then answered about the wrong thing:
    /// <c>refresh --merchant 1</c> said "Unknown view(s): mart.--merchant, mart.1". A lone "-" and a negative number stay values.
    /// </summary>
    private static List<string> OptionLikeValues(ParseResult parseResult) =>
        [.. parseResult.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value)
            .Where(v => v.Length > 1 && v[0] == '-' && !char.IsAsciiDigit(v[1]) && v[1] != '.')];

    /// <summary>
    /// A parse error in the user's terms: System.CommandLine names the .NET type it expected
    /// ("as expected type 'System.Nullable`1[System.DateOnly]'"); this names what to type instead.
    /// </summary>
    private static string Plain(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message,
            @"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)' as expected type '(?:System\.Nullable`1\[)?System\.(?<type>\w+)\]?'\.$");
        if (!match.Success)
        {
            return message;
        }
        var (value, option, type) = (match.Groups["value"].Value, match.Groups["option"].Value, match.Groups["type"].Value);
        // Digits the type cannot hold are a whole number, only too large: say so, and what the largest is.
        if (type is "Int32" or "Int64" && System.Text.RegularExpressions.Regex.IsMatch(value.Trim(), @"^[-+]?\d+$"))
        {
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"'{value}' is out of range for {option}: a whole number up to {(type == "Int32" ? int.MaxValue : long.MaxValue)}.");
        }
        var kind = type switch
        {
            "DateOnly" => "a date (yyyy-MM-dd)",
            "Int32" or "Int64" => "a whole number",
            "Decimal" => "a number (a dot for decimals, no thousands separator)",
            var other => $"a {other}",
        };
        return $"'{value}' is not {kind}, as {option} must be.";
    }

    /// <summary>Where to read the usage of the command that failed to parse: "Run 'erpdb sales --help' for usage."</summary>
    private static string UsageHint(ParseResult parseResult) =>
        $"Run '{string.Join(' ', ["erpdb", .. CommandPath(parseResult.CommandResult.Command), "--help"])}' for usage.";

    /// <summary>The names from the root's child down to <paramref name="command"/> (empty for the root).</summary>
    private static IEnumerable<string> CommandPath(Command command) =>
        command.Parents.OfType<Command>().Any() ? [.. CommandPath(command.Parents.OfType<Command>().First()), command.Name] : [];
}

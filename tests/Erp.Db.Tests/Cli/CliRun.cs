using System.Text.Json;
using Erp.Db.Cli;

namespace Erp.Db.Tests.Cli;

/// <summary>Runs erpdb in-process with its own writers and environment, as a user would run it.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static Task<CliRun> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunAsync(environment, CancellationToken.None, args);

    /// <summary>Runs erpdb until it ends or <paramref name="cancellationToken"/> fires (as Ctrl+C does).</summary>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ErpDbCli.RunAsync(args, output, error, name => environment?.GetValueOrDefault(name), cancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>Runs erpdb as if started in <paramref name="directory"/> (where it reads erpdb.json and appsettings.json).</summary>
    public static async Task<CliRun> RunInAsync(string directory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ErpDbCli.RunAsync(args, output, error, _ => null, directory, CancellationToken.None);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>stdout as CSV: it starts with the UTF-8 byte order mark (for Excel: stdout is not a terminal here), returned without it.</summary>
    public string Csv()
    {
        if (!Output.StartsWith(Erp.Db.Cli.Output.CommandOutput.ByteOrderMark))
        {
            throw new InvalidOperationException($"CSV without the UTF-8 byte order mark: {Output}\nstderr: {Error}");
        }
        return Output[1..];
    }

    /// <summary>
    /// stdout as JSON. An error envelope is checked against the contract every failure keeps (docs/assistants.md):
    /// <c>error.details</c> is an object or null, never a bare list, so a program reads it one way.
    /// </summary>
    public JsonElement Json()
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(Output).RootElement;
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"stdout is not JSON: {Output}\nstderr: {Error}", e);
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error)
            && error.TryGetProperty("details", out var details) && details.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            throw new InvalidOperationException($"error.details is a {details.ValueKind}, not an object or null: {Output}");
        }
        return root;
    }
}

namespace Erp.Db.Cli.Output;

/// <summary>A failure the CLI reports with an envelope code and an exit code.</summary>
internal sealed class CliException(string code, string message, int exitCode, object? details = null) : Exception(message)
{
    public string Code { get; } = code;

    public int ExitCode { get; } = exitCode;

    public object? Details { get; } = details;

    public static CliException Validation(string message, object? details = null) =>
        new(ErrorCodes.Validation, message, ExitCodes.Usage, details);

    /// <summary>
    /// A library's refusal in the user's words: .NET ends an ArgumentException's message with " (Parameter 'name')", the name of a
    /// C# parameter the command-line user never typed.
    /// </summary>
    public static CliException Validation(ArgumentException refused, object? details = null) => Validation(Plain(refused), details);

    /// <summary>An ArgumentException's message without the " (Parameter 'name')" .NET ends it with.</summary>
    public static string Plain(ArgumentException refused) =>
        refused.ParamName is { } name && refused.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? refused.Message[..^$" (Parameter '{name}')".Length]
            : refused.Message;
}

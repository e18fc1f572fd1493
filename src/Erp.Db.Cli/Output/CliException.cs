namespace Erp.Db.Cli.Output;

/// <summary>A failure the CLI reports with an envelope code and an exit code.</summary>
internal sealed class CliException(string code, string message, int exitCode, object? details = null) : Exception(message)
{
    public string Code { get; } = code;

    public int ExitCode { get; } = exitCode;

    public object? Details { get; } = details;

    public static CliException Validation(string message, object? details = null) =>
        new(ErrorCodes.Validation, message, ExitCodes.Usage, details);
}

using Microsoft.Extensions.Logging;

namespace Erp.Db.Cli.Output;

/// <summary>
/// The library's log lines on standard error, one line each as erpdb's own notes read (<c>erpdb: warning: ...</c>), instead of the
/// console logger's two-line <c>warn: Erp.Db.Migrations.MigrationRunner[0]</c> blocks, which named a class, not what happened.
/// </summary>
internal sealed class ErrorStreamLoggerProvider(TextWriter error) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ErrorStreamLogger(error);

    public void Dispose()
    {
    }

    private sealed class ErrorStreamLogger(TextWriter error) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = logLevel switch
            {
                LogLevel.Trace => "trace",
                LogLevel.Debug => "debug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warning",
                _ => "error",
            };
            var message = formatter(state, exception);
            if (exception is not null && !message.Contains(exception.Message, StringComparison.Ordinal))
            {
                message += $" ({exception.Message})";
            }
            // Messages may come from several threads (a migrate's lock wait, a refresher): one whole line at a time.
            lock (error)
            {
                error.WriteLine($"erpdb: {level}: {message}");
            }
        }
    }
}

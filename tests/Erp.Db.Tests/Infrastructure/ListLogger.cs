using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Erp.Db.Tests.Infrastructure;

/// <summary>A logger that keeps every entry (level, formatted message, exception), for tests that assert what was logged.</summary>
public class ListLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception), exception));
}

/// <summary>A <see cref="ListLogger"/> for a component that takes an <see cref="ILogger{TCategoryName}"/>.</summary>
public sealed class ListLogger<T> : ListLogger, ILogger<T>;

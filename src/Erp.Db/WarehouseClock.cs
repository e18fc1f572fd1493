using Dapper;
using Npgsql;

namespace Erp.Db;

/// <summary>
/// The warehouse's today, in one place: the date in the connection's <c>TimeZone</c> setting, which is what
/// <c>CURRENT_DATE</c> returns on the server, so the library's periods and the server's aging, overdue marking and
/// refresh windows count the same day (docs/today.md). The server reports the zone on every connection
/// (<see cref="NpgsqlConnection.Timezone"/>): no round trip when this machine knows the zone by that name; otherwise
/// (a POSIX string such as <c>&lt;+08&gt;-08</c>, or no time zone data here) one <c>SELECT CURRENT_DATE</c> asks the server.
/// </summary>
internal static class WarehouseClock
{
    /// <summary>Today in the time zone of <paramref name="connection"/>, an open connection.</summary>
    public static ValueTask<DateOnly> TodayAsync(NpgsqlConnection connection, int commandTimeout, CancellationToken cancellationToken) =>
        TodayIn(connection.Timezone, DateTimeOffset.UtcNow) is { } today
            ? ValueTask.FromResult(today)
            : new(AskAsync(connection, commandTimeout, cancellationToken));

    /// <summary>The date at <paramref name="now"/> in the zone PostgreSQL calls <paramref name="zone"/>; null when this machine does not know it.</summary>
    internal static DateOnly? TodayIn(string? zone, DateTimeOffset now) =>
        !string.IsNullOrEmpty(zone) && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var info)
            ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, info).DateTime)
            : null;

    private static async Task<DateOnly> AskAsync(NpgsqlConnection connection, int commandTimeout, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<DateOnly>(new CommandDefinition("SELECT CURRENT_DATE",
            commandTimeout: commandTimeout, cancellationToken: cancellationToken));
}

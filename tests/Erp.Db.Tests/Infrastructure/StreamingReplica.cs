using Erp.Db.LocalServer;
using Npgsql;

namespace Erp.Db.Tests.Infrastructure;

/// <summary>
/// A hot-standby streaming replica of the test server on loopback: <c>pg_basebackup -R</c> of the
/// whole cluster into a folder of its own, started on a free port with the machine's PostgreSQL
/// binaries (as the postgres user when we are root), stopped and deleted on dispose. The test
/// server's defaults allow it: wal_level replica, max_wal_senders 10, and initdb's pg_hba lines
/// for replication connections from 127.0.0.1. A physical replication slot of its own keeps the
/// primary from recycling WAL the replica has not received yet (the other tests' writes can fill
/// segments faster than it streams them); dispose drops it.
/// </summary>
internal sealed class StreamingReplica : IAsyncDisposable
{
    private readonly PostgresBinaries binaries;
    private readonly string dataDirectory;
    private readonly string primaryAdmin;
    private readonly string slot;

    private StreamingReplica(PostgresBinaries binaries, string dataDirectory, string primaryAdmin, string slot, int port)
    {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.primaryAdmin = primaryAdmin;
        this.slot = slot;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts a replica of the server that <paramref name="primaryAdmin"/> (a superuser connection string) reaches.</summary>
    public static async Task<StreamingReplica> StartAsync(string primaryAdmin)
    {
        var binaries = await PostgresBinaries.FindAsync(null, CancellationToken.None);
        var primary = new NpgsqlConnectionStringBuilder(primaryAdmin);
        var id = Guid.NewGuid().ToString("N")[..14];
        var slot = $"erpdb_test_replica_{id}";
        await using (var admin = new NpgsqlConnection(primaryAdmin))
        {
            await admin.OpenAsync();
            // A run killed before DisposeAsync leaves its slot, which holds every WAL segment written after it: on the shared test
            // server one such slot kept 72 GB of WAL and filled the disk. Only one test starts a replica (ReadReplicaTests), so any
            // other replica slot not in use is such a leftover.
            await using var dropLeftovers = new NpgsqlCommand(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name LIKE 'erpdb\\_test\\_replica\\_%' AND NOT active", admin);
            await dropLeftovers.ExecuteNonQueryAsync();
            // The slot reserves WAL from now, before the backup starts: created by pg_basebackup -C it came after the backup's
            // start, and a checkpoint in between (other tests write all the while) removed a segment the copy still needed.
            await using var create = new NpgsqlCommand("SELECT pg_create_physical_replication_slot($1, true)", admin) { Parameters = { new() { Value = slot } } };
            await create.ExecuteNonQueryAsync();
        }
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"erpdb-replica-{id}");
        // pg_basebackup runs as the server user and creates the folder (0700) itself; -R writes
        // standby.signal, primary_conninfo and primary_slot_name, -X stream copies the WAL written
        // meanwhile, -S streams it through the slot made above.
        var conninfo = $"host={primary.Host} port={primary.Port} user={primary.Username} password={primary.Password} dbname=postgres";
        var backup = await ProcessRunner.RunAsync(Path.Combine(binaries.BinDirectory, "pg_basebackup"),
            ["-d", conninfo, "-D", dataDirectory, "-R", "-X", "stream", "-S", slot, "-c", "fast", "--no-sync"], CancellationToken.None);
        Assert.True(backup.ExitCode == 0, $"pg_basebackup failed: {backup.Output}");
        var port = FreePort();
        var replica = new StreamingReplica(binaries, dataDirectory, primaryAdmin, slot, port);
        var started = await ProcessRunner.RunAsync(binaries.PgCtl,
            ["start", "-w", "-t", "120", "-D", dataDirectory, "-l", Path.Combine(dataDirectory, "replica.log"), "-o", $"-p {port}"], CancellationToken.None);
        if (started.ExitCode != 0)
        {
            var log = File.Exists(Path.Combine(dataDirectory, "replica.log")) ? await File.ReadAllTextAsync(Path.Combine(dataDirectory, "replica.log")) : "";
            await replica.DisposeAsync();
            Assert.Fail($"The replica did not start: {started.Output}\n{log}");
        }
        return replica;
    }

    /// <summary>The same connection string with the replica's port: the same logins and databases, read-only.</summary>
    public string ConnectionString(string primaryConnectionString) =>
        new NpgsqlConnectionStringBuilder(primaryConnectionString) { Port = Port }.ConnectionString;

    /// <summary>Waits until the replica has replayed everything the primary has written so far.</summary>
    public async Task CatchUpAsync(string database)
    {
        await using var primary = NpgsqlDataSource.Create(primaryAdmin);
        var target = (string)(await primary.CreateCommand("SELECT pg_current_wal_lsn()::text").ExecuteScalarAsync())!;
        await using var replica = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(primaryAdmin) { Port = Port, Database = database, Pooling = false }.ConnectionString);
        // The test server is shared with every other test running in parallel, whose WAL (each
        // test database is a copy written to WAL) the replica replays too: wait as long as replay
        // moves, and give up only when it stands still for a minute.
        var lastReplayed = "";
        var stalledSince = DateTime.UtcNow;
        while (DateTime.UtcNow - stalledSince < TimeSpan.FromMinutes(1))
        {
            await using var command = replica.CreateCommand("SELECT pg_last_wal_replay_lsn() >= @target::pg_lsn, pg_last_wal_replay_lsn()::text");
            command.Parameters.AddWithValue("target", target);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            if (reader.GetBoolean(0))
            {
                return;
            }
            var replayed = reader.GetString(1);
            if (replayed != lastReplayed)
            {
                (lastReplayed, stalledSince) = (replayed, DateTime.UtcNow);
            }
            await Task.Delay(100);
        }
        Assert.Fail($"The replica stopped replaying at {lastReplayed} for a minute, short of {target}.");
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessRunner.RunAsync(binaries.PgCtl, ["stop", "-w", "-m", "immediate", "-D", dataDirectory], CancellationToken.None);
        await DropSlotAsync();
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>Drops the slot once its WAL sender, which may outlive the stopped replica a moment, has gone.</summary>
    private async Task DropSlotAsync()
    {
        await using var primary = NpgsqlDataSource.Create(primaryAdmin);
        for (var attempt = 1; ; attempt++)
        {
            await using var terminate = primary.CreateCommand(
                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL");
            terminate.Parameters.AddWithValue(slot);
            await terminate.ExecuteNonQueryAsync();
            await using var drop = primary.CreateCommand("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1");
            drop.Parameters.AddWithValue(slot);
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

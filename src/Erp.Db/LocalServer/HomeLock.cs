namespace Erp.Db.LocalServer;

/// <summary>An exclusive lock file in the server's home, so two erpdb processes never init or start it together.</summary>
internal sealed class HomeLock : IAsyncDisposable
{
    private readonly FileStream stream;

    private HomeLock(FileStream stream) => this.stream = stream;

    public static async Task<HomeLock> AcquireAsync(string home, CancellationToken cancellationToken)
    {
        var path = Path.Combine(home, "lock");
        while (true)
        {
            try
            {
                return new HomeLock(PrivateFiles.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}

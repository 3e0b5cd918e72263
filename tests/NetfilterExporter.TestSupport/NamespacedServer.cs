namespace NetfilterExporter.TestSupport;

/// <summary>
/// A long-running server (an exporter on any port, Prometheus, Alertmanager) started inside a network namespace
/// with ip netns exec, which execs the program, so killing the process tree on dispose leaves nothing behind.
/// Its output is kept for failure messages.
/// </summary>
public sealed class NamespacedServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly CapturedProcess process;

    private NamespacedServer(CapturedProcess process) => this.process = process;

    /// <summary>What the test calls the server in messages, e.g. "prometheus".</summary>
    public string Name => process.Name;

    public string Log => process.Log;

    /// <summary>Starts <paramref name="file"/> in <paramref name="inside"/> and returns once <paramref name="readyUrl"/> answers 2xx.</summary>
    public static async Task<NamespacedServer> StartAsync(
        string name, NetworkNamespace inside, string file, IEnumerable<string> arguments, Uri readyUrl, CancellationToken cancellationToken)
    {
        var server = new NamespacedServer(CapturedProcess.Start(name, "ip", ["netns", "exec", inside.Name, file, .. arguments]));
        try
        {
            using var client = inside.CreateHttpClient(TimeSpan.FromSeconds(5));
            await server.process.WaitUntilReadyAsync(client, readyUrl, ReadyTimeout, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}

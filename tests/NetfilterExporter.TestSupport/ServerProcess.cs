namespace NetfilterExporter.TestSupport;

/// <summary>
/// A long-running server (an exporter, Prometheus, Alertmanager) on the host's loopback or inside a network
/// namespace (ip netns exec, which execs the program, so the process tree killed on dispose is the server's),
/// reached over real HTTP from where it listens. Its output is kept for failure messages.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly CapturedProcess process;

    private ServerProcess(CapturedProcess process, HttpClient client)
    {
        this.process = process;
        Client = client;
    }

    /// <summary>What the test calls the server in messages, e.g. "prometheus".</summary>
    public string Name => process.Name;

    public int Id => process.Id;

    /// <summary>A client that reaches the server: from inside its namespace when it runs in one.</summary>
    public HttpClient Client { get; }

    /// <summary>What it logged so far (stdout and stderr), for assertion messages.</summary>
    public string Log => process.Log;

    /// <summary>Starts <paramref name="file"/> and returns once <paramref name="readyUrl"/> answers 2xx.</summary>
    /// <param name="inside">The namespace to run in and send requests from; null for the host.</param>
    /// <param name="environment">Replaces the inherited environment entirely; null inherits it.</param>
    public static async Task<ServerProcess> StartAsync(
        string name,
        string file,
        IEnumerable<string> arguments,
        Uri readyUrl,
        NetworkNamespace? inside = null,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var process = inside is null
            ? CapturedProcess.Start(name, file, arguments, workingDirectory, environment)
            : CapturedProcess.Start(name, "ip", ["netns", "exec", inside.Name, file, .. arguments], workingDirectory, environment);
        var server = new ServerProcess(process, inside?.CreateHttpClient() ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
        try
        {
            await process.WaitUntilReadyAsync(server.Client, readyUrl, ReadyTimeout, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <inheritdoc cref="CapturedProcess.WaitForLogAsync"/>
    public Task<bool> WaitForLogAsync(string text, TimeSpan limit, CancellationToken cancellationToken = default) =>
        process.WaitForLogAsync(text, limit, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        Client.Dispose();
    }
}

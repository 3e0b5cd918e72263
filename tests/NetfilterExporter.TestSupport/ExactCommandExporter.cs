using System.Diagnostics;
using System.Net;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The exporter started inside a network namespace by a command line taken verbatim from a deployment
/// artefact (the DaemonSet's entrypoint and args, a systemd ExecStart), with nothing appended: unlike
/// <see cref="ExporterProcess"/>, the listen address is whatever the command line says, so the caller names
/// the address it expects the exporter to answer on.
/// </summary>
public sealed class ExactCommandExporter : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly CapturedProcess process;
    private readonly HttpClient client;

    private ExactCommandExporter(CapturedProcess process, HttpClient client, Uri baseAddress)
    {
        this.process = process;
        this.client = client;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the exporter logged so far (stdout and stderr).</summary>
    public string Log => process.Log;

    /// <param name="inside">The namespace the command runs in (ip netns exec) and HTTP requests are made from.</param>
    /// <param name="command">The whole command line, e.g. a setpriv wrapper, dotnet, the assembly and its flags.</param>
    /// <param name="baseAddress">Where the command line makes the exporter listen, e.g. http://127.0.0.1:10066/.</param>
    /// <param name="environment">Replaces the inherited environment entirely, as a container runtime or systemd does; null inherits it.</param>
    public static async Task<ExactCommandExporter> StartAsync(
        NetworkNamespace inside,
        IReadOnlyList<string> command,
        Uri baseAddress,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var process = CapturedProcess.Start(string.Join(' ', command), "ip", ["netns", "exec", inside.Name, .. command], environment: environment);
        var exporter = new ExactCommandExporter(process, inside.CreateHttpClient(), baseAddress);
        try
        {
            await process.WaitUntilReadyAsync(exporter.client, new Uri(baseAddress, "healthz"), StartLimit, cancellationToken);
        }
        catch
        {
            await exporter.DisposeAsync();
            throw;
        }
        return exporter;
    }

    /// <summary>GET relative to <see cref="BaseAddress"/>; the status is returned, not thrown, so tests assert it.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await client.GetAsync(new Uri(BaseAddress, path), cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>
    /// Whether <paramref name="text"/> shows up in the log within <paramref name="limit"/>. The console logger and
    /// the pipe reader run behind the HTTP response, so a line logged while serving a request can arrive after it.
    /// </summary>
    public async Task<bool> WaitForLogAsync(string text, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var waited = Stopwatch.StartNew();
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            if (waited.Elapsed > limit || process.HasExited)
            {
                return Log.Contains(text, StringComparison.Ordinal);
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        client.Dispose();
    }
}

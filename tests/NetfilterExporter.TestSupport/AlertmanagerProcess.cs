using System.Net;
using System.Text.Json.Nodes;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// Debian's Alertmanager with a temporary data directory and clustering off, on the host's loopback or inside a
/// network namespace, and its HTTP API (/api/v2/alerts). Disposing kills it and removes its directory.
/// </summary>
public sealed class AlertmanagerProcess : IAsyncDisposable
{
    private readonly ServerProcess server;
    private readonly TemporaryDirectory directory;

    private AlertmanagerProcess(ServerProcess server, TemporaryDirectory directory, Uri baseAddress)
    {
        this.server = server;
        this.directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>A client that reaches it (from inside its namespace when it runs in one).</summary>
    public HttpClient Client => server.Client;

    public string Log => server.Log;

    /// <param name="configuration">The whole alertmanager.yml.</param>
    /// <param name="listenAddress">host:port it listens on, e.g. 127.0.0.1:9093.</param>
    /// <param name="inside">The namespace to run in; null for the host.</param>
    /// <param name="parts">The Alertmanager to run; null for the one on PATH (Debian's package).</param>
    public static async Task<AlertmanagerProcess> StartAsync(
        string configuration, string listenAddress, NetworkNamespace? inside, CancellationToken cancellationToken, MonitoringParts? parts = null)
    {
        var binary = parts?.Alertmanager ?? Prerequisites.RequireCommand("prometheus-alertmanager", "prometheus-alertmanager");
        var directory = new TemporaryDirectory("nfx-alertmanager-");
        try
        {
            var config = directory.Combine("alertmanager.yml");
            await File.WriteAllTextAsync(config, configuration, cancellationToken);
            var baseAddress = new Uri($"http://{listenAddress}/");
            var server = await ServerProcess.StartAsync(
                "alertmanager",
                binary,
                [$"--config.file={config}", $"--storage.path={directory.Combine("data")}", $"--web.listen-address={listenAddress}", "--cluster.listen-address="],
                new Uri(baseAddress, "-/ready"),
                inside,
                directory.Path,
                cancellationToken: cancellationToken);
            return new AlertmanagerProcess(server, directory, baseAddress);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The alerts matching every <paramref name="matchers"/> (e.g. alertname="X"), active, silenced and inhibited
    /// alike; each has status.state ("active", "suppressed") and status.inhibitedBy.
    /// </summary>
    public async Task<JsonArray> AlertsAsync(IEnumerable<string> matchers, CancellationToken cancellationToken)
    {
        var query = string.Join('&', matchers.Select(matcher => "filter=" + Uri.EscapeDataString(matcher)));
        using var response = await server.Client.GetAsync(new Uri(BaseAddress, "api/v2/alerts?" + query), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Alertmanager answered {(int)response.StatusCode} to the alerts of {query}: {body}");
        }
        return JsonNode.Parse(body) as JsonArray ?? throw new InvalidDataException($"Alertmanager's alerts of {query} are not a JSON list: {body}");
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        directory.Dispose();
    }
}

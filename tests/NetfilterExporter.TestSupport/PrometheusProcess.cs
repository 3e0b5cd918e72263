using System.Net;
using System.Text.Json;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// Debian's Prometheus server with a temporary database, on the host's loopback or inside a network namespace,
/// for every test that needs the real scraper, its parser or its rule engine. Disposing kills it and removes its
/// directory.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private static readonly TimeSpan SeriesTimeout = TimeSpan.FromSeconds(60);
    private readonly ServerProcess server;
    private readonly TemporaryDirectory directory;

    private PrometheusProcess(ServerProcess server, TemporaryDirectory directory, Uri baseAddress)
    {
        this.server = server;
        this.directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public HttpClient Client => server.Client;

    public string Log => server.Log;

    /// <summary>Scrapes every second on a free port of the host's loopback.</summary>
    /// <param name="scrapeConfigs">The YAML list under scrape_configs:, indented by two spaces.</param>
    /// <param name="parts">The Prometheus to run; null for the one on PATH (Debian's package).</param>
    public static Task<PrometheusProcess> StartAsync(string scrapeConfigs, MonitoringParts? parts = null) =>
        StartAsync(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n" + scrapeConfigs,
            $"127.0.0.1:{LoopbackPort.Free()}",
            inside: null,
            CancellationToken.None,
            parts);

    /// <param name="configuration">The whole prometheus.yml.</param>
    /// <param name="listenAddress">host:port it listens on, e.g. 127.0.0.1:9090.</param>
    /// <param name="inside">The namespace to run in; null for the host.</param>
    /// <param name="parts">The Prometheus to run; null for the one on PATH (Debian's package).</param>
    public static async Task<PrometheusProcess> StartAsync(
        string configuration, string listenAddress, NetworkNamespace? inside, CancellationToken cancellationToken, MonitoringParts? parts = null)
    {
        var binary = parts?.Prometheus ?? Prerequisites.RequireCommand("prometheus", "prometheus");
        var directory = new TemporaryDirectory("nfx-prometheus-");
        try
        {
            var config = directory.Combine("prometheus.yml");
            await File.WriteAllTextAsync(config, configuration, cancellationToken);
            var baseAddress = new Uri($"http://{listenAddress}/");
            var server = await ServerProcess.StartAsync(
                "prometheus",
                binary,
                [$"--config.file={config}", $"--storage.tsdb.path={directory.Combine("data")}", $"--web.listen-address={listenAddress}"],
                new Uri(baseAddress, "-/ready"),
                inside,
                directory.Path,
                cancellationToken: cancellationToken);
            return new PrometheusProcess(server, directory, baseAddress);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Runs an instant query at the current time and returns the "result" array of the answer; empty when nothing matched.</summary>
    public async Task<JsonElement> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        using var response = await Client.GetAsync(new Uri(BaseAddress, "api/v1/query?query=" + Uri.EscapeDataString(promql)), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Prometheus answered {(int)response.StatusCode} to {promql}: {body}");
        }
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Array
            ? result.Clone()
            : throw new InvalidDataException($"Prometheus' answer to {promql} has no data.result list: {body}");
    }

    /// <summary>Queries until the result has at least one series, or fails after a generous minute.</summary>
    public async Task<JsonElement> WaitForSeriesAsync(string promql)
    {
        var result = default(JsonElement);
        try
        {
            await Poll.UntilAsync(
                $"a series of {promql}",
                SeriesTimeout,
                async token =>
                {
                    result = await QueryAsync(promql, token);
                    return result.GetArrayLength() > 0;
                },
                interval: TimeSpan.FromMilliseconds(250));
            return result;
        }
        catch (TimeoutException timeout)
        {
            // Why nothing arrived is usually in the targets' lastError.
            throw new TimeoutException($"{timeout.Message}targets: {await TargetsAsync()}\nprometheus log:\n{Log}", timeout);
        }
    }

    /// <summary>The scrape targets' state as Prometheus reports it (api/v1/targets), for assertions on errors.</summary>
    public Task<string> TargetsAsync() => Client.GetStringAsync(new Uri(BaseAddress, "api/v1/targets"));

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        directory.Dispose();
    }
}

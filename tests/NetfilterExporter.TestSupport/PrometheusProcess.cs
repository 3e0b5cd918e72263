using System.Diagnostics;
using System.Text.Json;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// Debian's Prometheus server on a free loopback port with a temporary configuration and database, for tests
/// that need the real scraper and its parser. Disposing kills it and removes its directory.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly CapturedProcess process;
    private readonly string directory;

    private PrometheusProcess(CapturedProcess process, string directory, Uri baseAddress)
    {
        this.process = process;
        this.directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Log => process.Log;

    /// <param name="scrapeConfigs">The YAML list under scrape_configs:, indented by two spaces.</param>
    public static async Task<PrometheusProcess> StartAsync(string scrapeConfigs)
    {
        var binary = Prerequisites.RequireCommand("prometheus", "prometheus");
        var directory = Directory.CreateTempSubdirectory("nfx-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n" + scrapeConfigs);
        var port = LoopbackPort.Free();
        string[] arguments = [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}"];
        var started = CapturedProcess.Start("prometheus", binary, arguments, directory);
        var prometheus = new PrometheusProcess(started, directory, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await started.WaitUntilReadyAsync(prometheus.Client, new Uri(prometheus.BaseAddress, "-/ready"), TimeSpan.FromSeconds(60));
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }
        return prometheus;
    }

    /// <summary>Runs an instant query and returns the "result" array of the answer.</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        var body = await Client.GetStringAsync(new Uri(BaseAddress, "api/v1/query?query=" + Uri.EscapeDataString(promql)));
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("data").GetProperty("result").Clone();
    }

    /// <summary>Queries until the result has at least one series, or fails after a generous minute.</summary>
    public async Task<JsonElement> WaitForSeriesAsync(string promql)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var result = await QueryAsync(promql);
            if (result.GetArrayLength() > 0)
            {
                return result;
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                var targets = await Client.GetStringAsync(new Uri(BaseAddress, "api/v1/targets"));
                throw new TimeoutException($"no series for {promql} within 60s; targets: {targets}\nprometheus log:\n{Log}");
            }
            await Task.Delay(250);
        }
    }

    /// <summary>The scrape targets' state as Prometheus reports it (api/v1/targets), for assertions on errors.</summary>
    public Task<string> TargetsAsync() => Client.GetStringAsync(new Uri(BaseAddress, "api/v1/targets"));

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        Client.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}

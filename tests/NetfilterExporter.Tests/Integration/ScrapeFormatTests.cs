using System.Collections.Concurrent;
using System.Text.Json;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Integration;

/// <summary>
/// A real Prometheus asks for OpenMetrics first, so that is what production scrapes get; a scraper that asks for
/// nothing gets text 0.0.4. Both must land in Prometheus as the same series with the same values, on Debian 12's
/// Prometheus 2.42 and on today's 3.x (whose Accept header adds escaping=allow-utf-8 and which fails a scrape whose
/// Content-Type it does not know).
/// </summary>
public sealed class ScrapeFormatTests
{
    // Values that change between two scrapes by themselves; everything else comes from the dump and must match.
    private static readonly string[] Volatile = ["netfilter_scrape_collector_duration_seconds", "process_", "promhttp_", "scrape_", "up"];

    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task Prometheus_stores_the_same_series_from_openmetrics_and_from_text(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        await using var exporter = await ExporterProcess.StartAsync(
            [.. Fixture.ConntrackFlags("persistent-etc"), Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt")]);
        await using var asked = await RecordingProxy.StartAsync(exporter.BaseAddress, forwardAccept: true);
        await using var unasked = await RecordingProxy.StartAsync(exporter.BaseAddress, forwardAccept: false);
        await using var prometheus = await PrometheusProcess.StartAsync($"""
              - job_name: openmetrics
                static_configs:
                  - targets: ['{asked.Authority}']
              - job_name: text
                static_configs:
                  - targets: ['{unasked.Authority}']
            """, parts);

        await prometheus.WaitForSeriesAsync("netfilter_hostport_dnat_rule_packets_total{job=\"openmetrics\"}");
        await prometheus.WaitForSeriesAsync("netfilter_hostport_dnat_rule_packets_total{job=\"text\"}");
        var fromOpenMetrics = Stable(await prometheus.QueryAsync("{job=\"openmetrics\"}", TestContext.Current.CancellationToken));
        var fromText = Stable(await prometheus.QueryAsync("{job=\"text\"}", TestContext.Current.CancellationToken));

        Assert.StartsWith("application/openmetrics-text", asked.AcceptSeen.First(), StringComparison.Ordinal);
        // Prometheus 3 asks for UTF-8 names escaped or not; the exporter's names are all legacy ones, so either answer holds.
        Assert.Equal(parts.PrometheusVersion.Major >= 3, asked.AcceptSeen.First().Contains("escaping=allow-utf-8", StringComparison.Ordinal));
        Assert.NotEmpty(asked.ContentTypes);
        Assert.All(asked.ContentTypes, type => Assert.StartsWith("application/openmetrics-text; version=1.0.0", type, StringComparison.Ordinal));
        Assert.NotEmpty(unasked.ContentTypes);
        Assert.All(unasked.ContentTypes, type => Assert.Equal("text/plain; version=0.0.4; charset=utf-8", type));
        Assert.Equal(fromText, fromOpenMetrics);
        Assert.Contains(fromOpenMetrics.Keys, series => series.StartsWith("netfilter_hostport_dnat_rule_packets_total{", StringComparison.Ordinal));
        Assert.Equal("37", fromOpenMetrics.Single(pair => pair.Key.StartsWith("netfilter_hostport_dnat_rule_packets_total{", StringComparison.Ordinal)
            && pair.Key.Contains("port=\"80\"", StringComparison.Ordinal) && pair.Key.Contains("position=\"1\"", StringComparison.Ordinal)).Value);
        foreach (var counter in new[] { "process_cpu_seconds_total", "promhttp_metric_handler_requests_total" })
        {
            Assert.NotEqual(0, (await prometheus.QueryAsync($"{counter}{{job=\"openmetrics\"}}", TestContext.Current.CancellationToken)).GetArrayLength());
            Assert.NotEqual(0, (await prometheus.QueryAsync($"{counter}{{job=\"text\"}}", TestContext.Current.CancellationToken)).GetArrayLength());
        }
    }

    /// <summary>Series name and labels without job and instance, and the value, of every series that must not drift.</summary>
    private static SortedDictionary<string, string> Stable(JsonElement result)
    {
        var series = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var sample in result.EnumerateArray())
        {
            var labels = sample.GetProperty("metric").EnumerateObject()
                .Where(label => label.Name is not ("job" or "instance" or "__name__"))
                .Select(label => $"{label.Name}=\"{label.Value.GetString()}\"")
                .Order(StringComparer.Ordinal);
            var name = sample.GetProperty("metric").GetProperty("__name__").GetString()!;
            if (!Volatile.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                series[$"{name}{{{string.Join(',', labels)}}}"] = sample.GetProperty("value")[1].GetString()!;
            }
        }
        return series;
    }

    /// <summary>A real HTTP hop in front of the exporter that records what the scraper asked for and what it got.</summary>
    private sealed class RecordingProxy : IAsyncDisposable
    {
        private readonly HttpClient client = new() { Timeout = TimeSpan.FromSeconds(10) };
        private HttpReceiver? receiver;

        public string Authority => receiver!.BaseAddress.Authority;

        /// <summary>The Accept header of every scrape that reached the proxy.</summary>
        public IEnumerable<string> AcceptSeen => receiver!.Requests.Select(request => request.Headers.TryGetValue("Accept", out var accept) ? accept : "");

        public ConcurrentQueue<string> ContentTypes { get; } = new();

        public static async Task<RecordingProxy> StartAsync(Uri exporter, bool forwardAccept)
        {
            var proxy = new RecordingProxy();
            proxy.receiver = await HttpReceiver.StartAsync(async context =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(exporter, "metrics"));
                if (forwardAccept)
                {
                    request.Headers.TryAddWithoutValidation("Accept", context.Request.Headers.Accept.ToString());
                }
                using var response = await proxy.client.SendAsync(request, context.RequestAborted);
                var contentType = response.Content.Headers.ContentType?.ToString() ?? "";
                proxy.ContentTypes.Enqueue(contentType);
                context.Response.StatusCode = (int)response.StatusCode;
                context.Response.ContentType = contentType;
                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            });
            return proxy;
        }

        public async ValueTask DisposeAsync()
        {
            if (receiver is not null)
            {
                await receiver.DisposeAsync();
            }
            client.Dispose();
        }
    }
}

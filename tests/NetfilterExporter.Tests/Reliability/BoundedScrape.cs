using System.Net;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>Scrapes a running exporter and fails the test when no complete answer arrives in time.</summary>
public static class BoundedScrape
{
    /// <summary>
    /// Headroom on top of the promise (--collector.timeout + 1 s) for a loaded test machine. A hang still fails:
    /// without the fixes under test these requests never finish at all.
    /// </summary>
    public static readonly TimeSpan MachineSlack = TimeSpan.FromSeconds(10);

    public static TimeSpan Bound(TimeSpan collectorTimeout) => collectorTimeout + TimeSpan.FromSeconds(1) + MachineSlack;

    public static async Task<ScrapedMetrics> MetricsAsync(ExporterProcess exporter, TimeSpan collectorTimeout)
    {
        var bound = Bound(collectorTimeout);
        using var deadline = new CancellationTokenSource(bound);
        try
        {
            using var response = await exporter.Client.GetAsync(new Uri(exporter.BaseAddress, "metrics"), deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {(int)response.StatusCode}: {body}\nexporter log:\n{exporter.Log}");
            return ScrapedMetrics.Parse(body);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"/metrics did not answer within {bound.TotalSeconds}s (--collector.timeout {collectorTimeout.TotalSeconds}s)\nexporter log:\n{exporter.Log}");
            throw;
        }
    }

    /// <summary>Waits for the exporter to log a line containing <paramref name="text"/> (logging is asynchronous).</summary>
    public static async Task WaitForLogAsync(ExporterProcess exporter, string text) =>
        Assert.True(
            await exporter.WaitForLogAsync(text, TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken),
            $"the exporter never logged '{text}':\n{exporter.Log}");

    public static IReadOnlyList<string> LogLines(ExporterProcess exporter, string containing) =>
        exporter.Log.Split('\n').Where(line => line.Contains(containing, StringComparison.Ordinal)).ToList();

    /// <summary>Series that carry data of one backend and family (not the per-collector scrape metrics).</summary>
    public static IReadOnlyList<ScrapedSeries> DataOf(ScrapedMetrics metrics, string backend, string family) =>
        metrics.Series.Where(series => series.Labels.TryGetValue("backend", out var b) && b == backend
            && series.Labels.TryGetValue("family", out var f) && f == family).ToList();
}

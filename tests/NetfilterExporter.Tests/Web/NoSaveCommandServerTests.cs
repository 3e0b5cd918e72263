using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Web;

/// <summary>The real server on a host without any iptables save command: it must not look healthy to Prometheus or a person.</summary>
public sealed class NoSaveCommandServerTests
{
    [Fact]
    public async Task Metrics_and_landing_page_report_the_missing_save_commands_as_a_failure()
    {
        Prerequisites.RequireRoot();
        using var hidden = new HiddenSaveCommands();
        await using var exporter = await ExporterProcess.StartAsync(Fixture.ConntrackFlags("persistent-etc"), wrapper: hidden.Wrapper);

        var metrics = await exporter.GetStringAsync("metrics");
        var page = await exporter.GetStringAsync("");

        Assert.Contains("netfilter_scrape_collector_success{collector=\"iptables\"} 0\n", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("collector=\"iptables_", metrics, StringComparison.Ordinal);
        Assert.Contains("FAILED: could not collect: iptables failed", page, StringComparison.Ordinal);
        Assert.Contains("no iptables save command found", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No findings: every host port", page, StringComparison.Ordinal);
    }
}

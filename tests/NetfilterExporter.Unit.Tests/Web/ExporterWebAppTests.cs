using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;
using NetfilterExporter.Configuration;
using NetfilterExporter.Exposition;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Web;

public sealed class ExporterWebAppTests
{
    [Fact]
    public async Task Openmetrics_is_served_when_accept_ranks_it_first_and_responses_vary_by_accept()
    {
        await using var app = await InProcessExporter.StartAsync(Fixture.Options("persistent-etc", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt")));
        var client = app.GetTestClient();
        using var asked = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        asked.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        using var preferringText = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        preferringText.Headers.TryAddWithoutValidation("Accept", "text/plain;version=0.0.4,application/openmetrics-text;q=0.5");

        using var openMetrics = await client.SendAsync(asked, TestContext.Current.CancellationToken);
        using var text = await client.SendAsync(preferringText, TestContext.Current.CancellationToken);
        var openMetricsBody = await openMetrics.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var textBody = await text.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", openMetrics.Content.Headers.ContentType!.ToString());
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", text.Content.Headers.ContentType!.ToString());
        Assert.Equal(["Accept"], openMetrics.Headers.Vary);
        Assert.EndsWith("\n# EOF\n", openMetricsBody, StringComparison.Ordinal);
        Assert.Contains("\n# TYPE netfilter_hostport_dnat_rule_packets counter\n", openMetricsBody, StringComparison.Ordinal);
        Assert.Contains("\nnetfilter_hostport_dnat_rule_packets_total{", openMetricsBody, StringComparison.Ordinal);
        Assert.Contains("\n# TYPE netfilter_hostport_dnat_rule_packets_total counter\n", textBody, StringComparison.Ordinal);
        Assert.DoesNotContain("# EOF", textBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrapes_of_the_telemetry_path_are_counted_by_status_code()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var app = await InProcessExporter.StartAsync(Fixture.Options("persistent-etc", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")), clock);
        var client = app.GetTestClient();

        for (var i = 0; i < 3; i++)
        {
            using var _ = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        }
        using var landing = await client.GetAsync("/", TestContext.Current.CancellationToken);
        // The body is reused for a second, and with it the request count.
        clock.Advance(MetricsRenderer.SelfMetricsMaxAge);
        var metrics = ScrapedMetrics.Parse(await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken));

        Assert.Equal(3, metrics.Value("promhttp_metric_handler_requests_total", "code=200"));
        Assert.Equal(0, metrics.Value("promhttp_metric_handler_requests_total", "code=503"));
        Assert.Equal(1, metrics.Value("promhttp_metric_handler_requests_in_flight"));
    }

    [Fact]
    public async Task Head_and_a_custom_telemetry_path_are_served()
    {
        await using var app = await InProcessExporter.StartAsync(Fixture.Options("persistent-etc", Fixture.ExampleFlag("healthy.legacy-ipv4.txt"), "--web.telemetry-path=/probe"));
        var client = app.GetTestClient();

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/probe"), TestContext.Current.CancellationToken);
        using var get = await client.GetAsync("/probe", TestContext.Current.CancellationToken);
        using var old = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(head.Content.Headers.ContentType, get.Content.Headers.ContentType);
        Assert.Equal((await get.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length, get.Content.Headers.ContentLength);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task Landing_page_shows_version_metrics_link_and_findings_with_their_fixes()
    {
        await using var app = await InProcessExporter.StartAsync(Fixture.Options("not-loaded", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt")));
        var page = await app.GetTestClient().GetStringAsync("/", TestContext.Current.CancellationToken);

        Assert.Contains("<a href=\"metrics\">Metrics</a>", page, StringComparison.Ordinal);
        Assert.Contains("hostport-dnat-duplicate", page, StringComparison.Ordinal);
        Assert.Contains("conntrack-not-loaded", page, StringComparison.Ordinal);
        Assert.Contains("sudo iptables-legacy -t nat -X CNI-DN-5649e0ce7bb9710670939", page, StringComparison.Ordinal);
        Assert.Contains("echo nf_conntrack | sudo tee /etc/modules-load.d/nf_conntrack.conf", page, StringComparison.Ordinal);
        Assert.Contains("&quot;k8s-pod-network&quot;", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Landing_page_does_not_call_a_node_healthy_when_a_collector_failed()
    {
        await using var app = await InProcessExporter.StartAsync(Fixture.Options("persistent-etc", "--iptables.from-file=legacy,ipv4=/nonexistent/dump.txt"));
        var page = await app.GetTestClient().GetStringAsync("/", TestContext.Current.CancellationToken);

        Assert.Contains("collector(s) failed", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No findings: every host port", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_answers()
    {
        await using var app = await InProcessExporter.StartAsync(Fixture.Options("persistent-etc", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")));

        Assert.Equal("ok\n", await app.GetTestClient().GetStringAsync("/healthz", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_broken_dump_fails_only_its_collector_and_exports_none_of_its_data()
    {
        using var directory = new TemporaryDirectory("nfx-broken-");
        var broken = directory.Combine("broken.txt");
        await File.WriteAllTextAsync(broken, "# Generated by ip6tables-save v1.8.9 (legacy)\n*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j ACCEPT\n", TestContext.Current.CancellationToken);
        await using var app = await InProcessExporter.StartAsync(Fixture.Options("persistent-etc",
            Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt"), $"--iptables.from-file={broken}"));
        var metrics = ScrapedMetrics.Parse(await app.GetTestClient().GetStringAsync("/metrics", TestContext.Current.CancellationToken));

        Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv6"));
        Assert.Empty(metrics.Find("netfilter_nat_rules", "family=ipv6"));
        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4"));
        Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "family=ipv4", "port=80"));
        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=conntrack"));
    }

    [Fact]
    public async Task A_missing_procfs_fails_only_the_conntrack_collector()
    {
        var options = CommandLine.Parse(["--path.procfs=/nonexistent/proc", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")], false, _ => null);
        await using var app = await InProcessExporter.StartAsync(options);
        var metrics = ScrapedMetrics.Parse(await app.GetTestClient().GetStringAsync("/metrics", TestContext.Current.CancellationToken));

        Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", "collector=conntrack"));
        Assert.Empty(metrics.Find("netfilter_conntrack_module_loaded"));
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_rules", "port=80"));
    }

    [Fact]
    public async Task An_explicit_backend_whose_command_is_missing_reports_failure_and_auto_skips_it()
    {
        var missing = "--iptables.save-command.nft-ipv4=/nonexistent/iptables-nft-save";
        await using var explicitApp = await InProcessExporter.StartAsync(Fixture.Options("persistent-etc", "--iptables.backends=nft", "--iptables.families=ipv4", missing));
        var explicitMetrics = ScrapedMetrics.Parse(await explicitApp.GetTestClient().GetStringAsync("/metrics", TestContext.Current.CancellationToken));

        Assert.Equal(0, explicitMetrics.Value("netfilter_scrape_collector_success", "collector=iptables_nft_ipv4"));
    }
}

using System.Net;
using Microsoft.AspNetCore.TestHost;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Web;

/// <summary>The web app in process, where an assertion needs a child process: promtool, or a save command that counts its runs.</summary>
public sealed class ExporterWebAppTests
{
    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task Metrics_are_text_format_0_0_4_and_pass_promtool(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        await using var app = await InProcessExporter.StartAsync(Fixture.Options("not-loaded", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt")));
        using var response = await app.GetTestClient().GetAsync("/metrics", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var metrics = ScrapedMetrics.Parse(body);
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_duplicates", "port=443"));
        Assert.Equal(0, metrics.Value("netfilter_conntrack_sysctl_present"));
        Assert.Empty(metrics.Find("netfilter_conntrack_entries_limit"));
        Assert.Equal(1, metrics.Value("netfilter_exporter_build_info"));
        Assert.NotEmpty(metrics.Find("process_resident_memory_bytes"));
        var promtool = await Promtool.CheckMetricsAsync(body, parts);
        Assert.True(promtool.ExitCode == 0 && promtool.StandardOutput.Length == 0, promtool.StandardOutput + promtool.StandardError);
    }

    [Fact]
    public async Task Concurrent_scrapes_share_one_collection()
    {
        using var directory = new TemporaryDirectory("nfx-coalesce-");
        var counter = directory.Combine("runs");
        var dump = RepositoryPaths.Combine("examples", "healthy.legacy-ipv4.txt");
        // nft: a legacy save command only runs when the legacy nat table exists in this namespace.
        var fake = directory.Combine("iptables-nft-save");
        // A stand-in save command that counts its runs and is slow enough for the scrapes to overlap.
        await File.WriteAllTextAsync(fake, $"#!/bin/sh\necho run >> '{counter}'\nsleep 1\ncat '{dump}'\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var app = await InProcessExporter.StartAsync(Fixture.Options("persistent-etc",
            "--iptables.backends=nft", "--iptables.families=ipv4", $"--iptables.save-command.nft-ipv4={fake}", "--collector.min-interval=1m"));
        var client = app.GetTestClient();

        var bodies = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => client.GetStringAsync("/metrics")));

        Assert.Single(await File.ReadAllLinesAsync(counter, TestContext.Current.CancellationToken));
        Assert.All(bodies, body => Assert.Contains("netfilter_hostport_dnat_rules{backend=\"nft\"", body, StringComparison.Ordinal));
    }
}

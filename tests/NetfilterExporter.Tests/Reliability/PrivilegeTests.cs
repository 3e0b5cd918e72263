using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// What docs/security.md promises about privileges: an unprivileged user with only CAP_NET_ADMIN and CAP_NET_RAW
/// reads both backends; without them the iptables collectors fail with a hint and the rest keeps working.
/// </summary>
public sealed class PrivilegeTests
{
    private const string Nobody = "65534";

    [Fact]
    public async Task Nobody_with_net_admin_and_net_raw_reads_both_backends()
    {
        var setpriv = Prerequisites.RequireCommand("setpriv", "util-linux");
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync("iptables-legacy-restore", Dumps.Example("after-stop-start.legacy-ipv4.txt"));
        await ns.RestoreAsync("iptables-nft-restore", Dumps.Example("healthy.legacy-ipv4.txt"));
        await using var exporter = await ExporterProcess.StartAsync(Flags(), ns,
            [setpriv, $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--inh-caps=-all,+net_admin,+net_raw",
                "--ambient-caps=-all,+net_admin,+net_raw", "--bounding-set=-all,+net_admin,+net_raw"]);

        var metrics = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));

        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4"));
        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_nft_ipv4"));
        Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "backend=legacy", "port=80"));
        Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_rules", "backend=nft", "port=80"));
    }

    [Fact]
    public async Task Without_capabilities_the_iptables_collectors_fail_with_a_hint_and_conntrack_still_works()
    {
        var setpriv = Prerequisites.RequireCommand("setpriv", "util-linux");
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync("iptables-legacy-restore", Dumps.Example("after-stop-start.legacy-ipv4.txt"));
        await using var exporter = await ExporterProcess.StartAsync(Flags(), ns, [setpriv, $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups"]);

        var metrics = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));

        Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_legacy_ipv4"));
        Assert.Equal(0, metrics.Value("netfilter_scrape_collector_success", "collector=iptables_nft_ipv4"));
        Assert.Empty(metrics.Find("netfilter_nat_rules"));
        Assert.Equal(1, metrics.Value("netfilter_scrape_collector_success", "collector=conntrack"));
        await BoundedScrape.WaitForLogAsync(exporter, "collector iptables_nft_ipv4 failed");
        Assert.Contains("needs CAP_NET_ADMIN and CAP_NET_RAW", Assert.Single(BoundedScrape.LogLines(exporter, "collector iptables_legacy_ipv4 failed")), StringComparison.Ordinal);
    }

    private static string[] Flags() => [.. Fixture.ConntrackFlags("persistent-etc"), "--iptables.backends=legacy,nft", "--iptables.families=ipv4"];
}

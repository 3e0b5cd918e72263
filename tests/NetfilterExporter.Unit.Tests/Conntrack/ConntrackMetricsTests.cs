using System.Text;
using NetfilterExporter.Conntrack;
using Prometheus;
using Xunit;

namespace NetfilterExporter.Unit.Tests.Conntrack;

public sealed class ConntrackMetricsTests
{
    [Fact]
    public async Task Each_defeat_is_one_blacklisted_series_named_by_source_and_directive()
    {
        using var tree = new TemporaryHostTree();
        tree.WriteFile("proc/cmdline", "ro modules_load=nf_conntrack module_blacklist=nf_conntrack quiet\n");
        tree.WriteFile("rootfs/etc/modprobe.d/hardening.conf", "# CIS 3.4\ninstall nf_conntrack /bin/false\n");

        var exposition = await ExposeAsync(await tree.ProbeAsync());

        Assert.Contains("netfilter_conntrack_blacklisted{source=\"/etc/modprobe.d/hardening.conf:2\",directive=\"install nf_conntrack /bin/false\"} 1\n", exposition);
        Assert.Contains("netfilter_conntrack_blacklisted{source=\"cmdline\",directive=\"module_blacklist=nf_conntrack\"} 1\n", exposition);
        Assert.DoesNotContain("netfilter_conntrack_blacklisted 0", exposition);
        Assert.Contains("netfilter_conntrack_boot_load_info{source=\"cmdline\"} 1\n", exposition);
        Assert.Contains("netfilter_conntrack_boot_load_configured 0\n", exposition);
    }

    [Fact]
    public async Task Without_a_defeat_blacklisted_is_one_unlabelled_zero()
    {
        using var tree = new TemporaryHostTree();

        var exposition = await ExposeAsync(await tree.ProbeAsync());

        Assert.Contains("\nnetfilter_conntrack_blacklisted 0\n", exposition);
        Assert.DoesNotContain("netfilter_conntrack_blacklisted{", exposition);
    }

    private static async Task<string> ExposeAsync(ConntrackReport report)
    {
        var registry = Metrics.NewCustomRegistry();
        ConntrackMetrics.Write(report, Metrics.WithCustomRegistry(registry));
        using var buffer = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(buffer, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

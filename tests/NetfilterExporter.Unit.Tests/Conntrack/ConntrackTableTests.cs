using NetfilterExporter.Conntrack;
using Xunit;

namespace NetfilterExporter.Unit.Tests.Conntrack;

public sealed class ConntrackTableTests
{
    [Fact]
    public async Task Entries_and_limit_are_read_from_the_sysctls()
    {
        var paths = ConntrackFixtures.PathsOf("loaded-not-persistent");
        var netfilter = Path.Join(paths.ProcFs, "sys", "net", "netfilter");
        var expectedEntries = long.Parse(File.ReadAllText(Path.Join(netfilter, "nf_conntrack_count")), System.Globalization.CultureInfo.InvariantCulture);
        var expectedLimit = long.Parse(File.ReadAllText(Path.Join(netfilter, "nf_conntrack_max")), System.Globalization.CultureInfo.InvariantCulture);

        var report = await new ConntrackProbe(paths).ProbeAsync(CancellationToken.None);

        Assert.True(report.SysctlPresent);
        Assert.Equal(expectedEntries, report.Entries);
        Assert.Equal(expectedLimit, report.Limit);
        Assert.NotEqual(report.Entries, report.Limit);
    }

    [Fact]
    public async Task A_value_that_is_not_a_number_names_the_file_and_the_value()
    {
        var paths = ConntrackFixtures.PathsOf("bad-number");

        var error = await Assert.ThrowsAsync<ConntrackProbeException>(() => new ConntrackProbe(paths).ProbeAsync(CancellationToken.None));

        Assert.Contains(Path.Join(paths.ProcFs, "sys", "net", "netfilter", "nf_conntrack_max"), error.Message);
        Assert.Contains("'unlimited'", error.Message);
    }
}

using NetfilterExporter.Conntrack;
using NetfilterExporter.Host;
using Xunit;

namespace NetfilterExporter.Unit.Tests.Conntrack;

/// <summary>The probe against this machine's real /proc, /sys and /: it must not fail, and must agree with the kernel.</summary>
public sealed class HostMachineTests
{
    [Fact]
    public async Task Probing_this_machine_agrees_with_the_sysctl_it_can_see()
    {
        var maxPath = "/proc/sys/net/netfilter/nf_conntrack_max";

        var report = await new ConntrackProbe(HostPaths.Default).ProbeAsync(CancellationToken.None);

        Assert.Equal(File.Exists(maxPath), report.SysctlPresent);
        Assert.Equal(report.SysctlPresent, report.Limit is not null);
        if (report.SysctlPresent)
        {
            Assert.True(report.ModuleLoaded);
            Assert.True(report.Limit > 0);
        }
    }
}

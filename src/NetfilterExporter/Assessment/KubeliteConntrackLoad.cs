using NetfilterExporter.Conntrack;
using NetfilterExporter.MicroK8s;

namespace NetfilterExporter.Assessment;

/// <summary>
/// The join of the MicroK8s build with the nf_conntrack report: kubelite's start wrapper loads the module at every
/// start, which is every boot (canonical/microk8s#4705), so on such a build it is a boot-load source. It loads it with an
/// explicit modprobe, which a modprobe.d <c>blacklist</c> line does not stop, but an <c>install … /bin/false</c> line,
/// <c>module_blacklist=</c> on the kernel command line, or an LXC container does.
/// </summary>
public static class KubeliteConntrackLoad
{
    public static ConntrackReport? Apply(ConntrackReport? report, MicroK8sBuild? build)
    {
        if (report is null || build is not { KubeliteModprobesConntrack: true, InLxcContainer: false })
        {
            return report;
        }
        // Only what is still there after the reboot counts: a /run line is gone by then.
        if (report.Blacklist.Any(entry => entry.StopsManualModprobe && !entry.GoneAfterReboot))
        {
            return report;
        }
        return report with
        {
            BootLoadConfigured = true,
            BootLoadSources = [.. report.BootLoadSources, MicroK8sBuild.KubeliteWrapper],
        };
    }
}

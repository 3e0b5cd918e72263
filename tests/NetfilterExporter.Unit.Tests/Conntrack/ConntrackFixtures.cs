using NetfilterExporter.Conntrack;
using NetfilterExporter.Host;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Conntrack;

/// <summary>
/// The checked-in node trees under Fixtures/conntrack/&lt;case&gt;/{proc,sys,rootfs}, read where they are checked in
/// so that their symlinks (/dev/null masks, modules.conf -> ../modules) stay symlinks.
/// </summary>
internal static class ConntrackFixtures
{
    public static string CaseDirectory(string caseName) =>
        RepositoryPaths.Combine("tests", "Fixtures", "conntrack", caseName);

    public static HostPaths PathsOf(string caseName)
    {
        var directory = CaseDirectory(caseName);
        return new HostPaths(Path.Join(directory, "proc"), Path.Join(directory, "sys"), Path.Join(directory, "rootfs"));
    }

    public static Task<ConntrackReport> ProbeAsync(string caseName) =>
        new ConntrackProbe(PathsOf(caseName)).ProbeAsync(CancellationToken.None);
}

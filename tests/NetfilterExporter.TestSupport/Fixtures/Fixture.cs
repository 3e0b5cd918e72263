using NetfilterExporter.Configuration;
using NetfilterExporter.Sources;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.TestSupport;

/// <summary>Exporter options pointed at checked-in dumps and a conntrack fixture node instead of this machine.</summary>
public static class Fixture
{
    public static string ConntrackNode(string name) => RepositoryPaths.Combine("tests", "Fixtures", "conntrack", name);

    public static string[] ConntrackFlags(string node) =>
    [
        $"--path.procfs={ConntrackNode(node)}/proc",
        $"--path.sysfs={ConntrackNode(node)}/sys",
        $"--path.rootfs={ConntrackNode(node)}/rootfs",
    ];

    /// <summary>The options of a fixture node; this machine's nftables tables stay out unless a flag names them.</summary>
    public static ExporterOptions Options(string conntrackNode, params string[] flags) =>
        CommandLine.Parse(
            [.. ConntrackFlags(conntrackNode), .. flags.Any(flag => flag.Contains("nftables", StringComparison.Ordinal)) ? [] : NotThisMachinesNftables, .. flags],
            checkMode: flags.Any(f => f.StartsWith("--output", StringComparison.Ordinal)), _ => null, SourceTable.Flags);

    private static readonly string[] NotThisMachinesNftables = ["--no-collector.nftables_ipv4", "--no-collector.nftables_ipv6"];

    public static string ExampleFlag(string name) => $"--iptables.from-file={RepositoryPaths.Combine("examples", name)}";
}

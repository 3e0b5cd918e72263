using System.Text;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.Nftables;

namespace NetfilterExporter.TestSupport;

/// <summary>The nft -j listings of tests/Fixtures/nftables/ (generate.sh makes them with a real nft and kernel).</summary>
public static class NftablesListings
{
    public const string Origin = "nft -j list table";

    public static string Path(string name) => RepositoryPaths.Combine("tests", "Fixtures", "nftables", name + ".json");

    public static NftTable Load(string name, IpFamily family = IpFamily.IPv4) => Parse(File.ReadAllBytes(Path(name)), family);

    public static NftTable ParseText(string json, IpFamily family = IpFamily.IPv4) => Parse(Encoding.UTF8.GetBytes(json), family);

    public static NftTable Parse(ReadOnlySpan<byte> json, IpFamily family = IpFamily.IPv4) =>
        NftTableParser.Parse(json, Origin, family, RuleSource.NftablesTable);

    public static HostPortObservation Observe(string name, IpFamily family = IpFamily.IPv4) =>
        new(new RuleSource(IptablesBackend.Nftables, family), PortmapNftAnalyzer.Analyze(Load(name, family), Origin));
}

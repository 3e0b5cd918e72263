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

    public static Task<NftTable> ParseAsync(string name, IpFamily family = IpFamily.IPv4) =>
        ParseTextAsync(File.ReadAllText(Path(name)), family);

    public static Task<NftTable> ParseTextAsync(string json, IpFamily family = IpFamily.IPv4) =>
        NftTableParser.ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), Origin, family, RuleSource.NftablesTable, CancellationToken.None);

    public static async Task<HostPortObservation> ObserveAsync(string name, IpFamily family = IpFamily.IPv4) =>
        new(new RuleSource(IptablesBackend.Nftables, family), PortmapNftAnalyzer.Analyze(await ParseAsync(name, family), Origin));
}

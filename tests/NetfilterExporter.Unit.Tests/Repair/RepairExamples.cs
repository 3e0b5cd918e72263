using NetfilterExporter.Assessment;
using NetfilterExporter.Cri;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Unit.Tests.Repair;

/// <summary>The observations the repair tests plan from: examples/ and tests/Fixtures dumps and nftables listings.</summary>
internal static class RepairExamples
{
    public static readonly RuleSource LegacyIpv4 = new(IptablesBackend.Legacy, IpFamily.IPv4);

    public static readonly RuleSource NftablesIpv4 = new(IptablesBackend.Nftables, IpFamily.IPv4);

    public const string StaleJump =
        "-p tcp -m comment --comment \"dnat name: \\\"k8s-pod-network\\\" id: \\\"4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf\\\"\" -m multiport --dports 80,443 -j CNI-DN-5649e0ce7bb9710670939";

    public static async Task<HostPortObservation> LegacyAsync(string dump) =>
        new(LegacyIpv4, HostPortAnalyzer.Analyze(await Dumps.ParseAsync(dump)));

    public static Task<HostPortObservation> AfterStopStartAsync() => LegacyAsync(Dumps.Example("after-stop-start.legacy-ipv4.txt"));

    public static SandboxJoin Runtime => SandboxJoin.Of(ExampleSandboxes.AfterStopStart());

    /// <summary>The example with a CNI-DN-* chain no rule jumps to, as a flush of CNI-HOSTPORT-DNAT leaves it.</summary>
    public static string WithOrphanChain() => Dumps.Example("after-stop-start.legacy-ipv4.txt")
        .Replace(":CNI-HOSTPORT-DNAT - [0:0]\n", ":CNI-HOSTPORT-DNAT - [0:0]\n:CNI-DN-0bad0bad0bad0bad0bad0 - [0:0]\n", StringComparison.Ordinal)
        .Replace("COMMIT\n", "[0:0] -A CNI-DN-0bad0bad0bad0bad0bad0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.1.254.9:8080\nCOMMIT\n", StringComparison.Ordinal);

    public static PodSandboxes Listing(params Sandbox[] sandboxes) => new(sandboxes);
}

using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.RealNode;

/// <summary>
/// The sets of parts the real-node stories run on (<see cref="NodeParts.Names"/>): Debian 12's, and today's with
/// portmap's iptables and nftables backends. A test starts its node through <see cref="StartNodeAsync"/>, which
/// writes the versions of every part it used to the test's output.
/// </summary>
public static class NodePartsData
{
    public static TheoryData<string> All => [.. NodeParts.Names];

    /// <summary>The sets whose portmap writes iptables rules, for stories about iptables itself (MicroK8s' documented flush).</summary>
    public static TheoryData<string> Iptables => [.. NodeParts.IptablesNames];

    public static async Task<ContainerdNode> StartNodeAsync(string partsName, CancellationToken cancellationToken)
    {
        var parts = await NodeParts.RequireAsync(partsName);
        foreach (var line in parts.Versions)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{parts.Name}: {line}");
        }
        return await ContainerdNode.StartAsync(parts, cancellationToken);
    }
}

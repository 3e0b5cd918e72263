using NetfilterExporter.DumpSources;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;
using NetfilterExporter.Repair;

namespace NetfilterExporter.Tests.Repair;

/// <summary>
/// The programs a repair runs, each a wrapper that runs the real one inside a test's network namespace
/// (<c>ip netns exec NS iptables-legacy-restore "$@"</c>), as the collectors' save commands are overridden in tests;
/// and a legacy-table lookup that says the namespace's nat tables exist (the test created them).
/// </summary>
internal sealed class NamespaceRepairTools : IDisposable
{
    private static readonly string[] Programs =
    [
        "iptables-legacy-save", "iptables-legacy-restore", "ip6tables-legacy-save", "ip6tables-legacy-restore",
        "iptables-nft-save", "iptables-nft-restore", "ip6tables-nft-save", "ip6tables-nft-restore",
    ];

    private readonly TemporaryDirectory directory = new("nfx-repair-tools-");

    private NamespaceRepairTools(NetworkNamespace ns)
    {
        var ip = Prerequisites.RequireCommand("ip", "iproute2");
        foreach (var program in Programs)
        {
            Write(program, $"exec {ip} netns exec {ns.Name} {Prerequisites.RequireCommand(program, "iptables")} \"$@\"");
        }
        Write("nft", $"exec {ip} netns exec {ns.Name} {Prerequisites.RequireCommand("nft", "nftables")} \"$@\"");
        var procNet = directory.Combine("proc-net");
        Directory.CreateDirectory(procNet);
        File.WriteAllText(Path.Combine(procNet, "ip_tables_names"), "nat\n");
        File.WriteAllText(Path.Combine(procNet, "ip6_tables_names"), "nat\n");
        Tools = RepairTools.In(directory.Combine("bin"), new LegacyNatTableLookup(procNet), TimeSpan.FromSeconds(30));
    }

    public RepairTools Tools { get; }

    public static NamespaceRepairTools For(NetworkNamespace ns) => new(ns);

    /// <summary>One collection of a table, the way the collectors read it, through the wrappers.</summary>
    public async Task<HostPortObservation> CollectAsync(RuleSource source, CancellationToken cancellationToken)
    {
        if (source.IsNftables)
        {
            var collector = new NftablesCollector(source, Tools.Require("nft"), Tools.Timeout);
            return (HostPortObservation)await collector.CollectAsync(cancellationToken);
        }
        var dumps = new SaveCommandDumpSource(source, Tools.Require(source.SaveCommand), Tools.Timeout, Tools.LegacyTables);
        return (HostPortObservation)await new IptablesCollector(dumps).CollectAsync(cancellationToken);
    }

    public void Dispose() => directory.Dispose();

    private void Write(string program, string command)
    {
        var bin = directory.Combine("bin");
        Directory.CreateDirectory(bin);
        var path = Path.Combine(bin, program);
        File.WriteAllText(path, $"#!/bin/sh\n{command}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

using NetfilterExporter.Iptables;
using NetfilterExporter.Nftables;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// One deletion of portmap's rules, as the analysis found them. <see cref="SurgicalDelete"/> decides the list once; `check`
/// prints it as shell commands and a repair writes it as one transaction, so the two never delete different things.
/// </summary>
public abstract record RuleDeletion
{
    /// <summary>The sandbox whose rule this is, from portmap's comment; null for a chain nothing jumps to.</summary>
    public abstract string? SandboxId { get; }

    /// <summary>An entry jump of CNI-HOSTPORT-DNAT, deleted by its arguments exactly as saved (<c>-D CNI-HOSTPORT-DNAT …</c>).</summary>
    public sealed record Jump(NatRule Rule, string Sandbox) : RuleDeletion
    {
        public override string? SandboxId => Sandbox;
    }

    /// <summary>A CNI-DN-* chain, flushed then deleted (<c>-F</c>, <c>-X</c>): only possible once nothing jumps to it.</summary>
    public sealed record Chain(string Name, string? Sandbox) : RuleDeletion
    {
        public override string? SandboxId => Sandbox;
    }

    /// <summary>A rule of portmap's nftables table, deleted by its handle.</summary>
    public sealed record NftRule(Nftables.NftRule Rule, string Sandbox) : RuleDeletion
    {
        public override string? SandboxId => Sandbox;
    }
}

namespace NetfilterExporter.TestSupport;

/// <summary>One portmap entry jump in CNI-HOSTPORT-DNAT, as iptables-save -c printed it.</summary>
/// <param name="Position">1-based position in the chain: the first match wins.</param>
/// <param name="SandboxId">The id from portmap's comment (dnat name: "NETWORK" id: "ID").</param>
/// <param name="Ports">The --dports of the jump.</param>
/// <param name="Chain">The CNI-DN-* chain it jumps to.</param>
/// <param name="Packets">The jump's packet counter.</param>
public sealed record HostPortJump(int Position, string SandboxId, IReadOnlyList<int> Ports, string Chain, long Packets);

namespace NetfilterExporter.TestSupport;

/// <summary>A DNAT rule in a CNI-DN-* chain, as iptables-save -c printed it.</summary>
/// <param name="Chain">The CNI-DN-* chain holding it.</param>
/// <param name="Port">Its --dport.</param>
/// <param name="Destination">Its --to-destination (pod address:container port).</param>
/// <param name="Packets">Its packet counter: connections it sent to the pod (nat sees each connection's first packet).</param>
public sealed record DnatRule(string Chain, int Port, string Destination, long Packets);

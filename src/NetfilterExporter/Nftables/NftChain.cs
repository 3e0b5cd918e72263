namespace NetfilterExporter.Nftables;

/// <summary>A chain of the table; <see cref="Hook"/> is set on base chains (prerouting, output, postrouting).</summary>
public sealed record NftChain(string Name, long Handle, string? Hook);

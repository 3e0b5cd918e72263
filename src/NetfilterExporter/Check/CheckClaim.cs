namespace NetfilterExporter.Check;

public sealed record CheckClaim(int Position, string ContainerId, string Network, string Chain, string Destination, ulong Packets);

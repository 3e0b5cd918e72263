namespace NetfilterExporter.HostPorts;

/// <summary>Every claim on one host port, in evaluation order. More than one is the stale-rule failure.</summary>
public sealed record HostPortClaims(HostPortKey Key, IReadOnlyList<HostPortClaim> Claims)
{
    public int Duplicates => Claims.Count - 1;

    public HostPortClaim Winner => Claims[0];
}

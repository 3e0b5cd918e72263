namespace NetfilterExporter.HostPorts;

/// <summary>What a DNAT claim competes for: traffic to this protocol, host IP ("any" without -d) and port.</summary>
public sealed record HostPortKey(string Protocol, string HostIp, int Port) : IComparable<HostPortKey>
{
    public const string AnyHostIp = "any";

    public int CompareTo(HostPortKey? other)
    {
        if (other is null)
        {
            return 1;
        }
        var byProtocol = string.CompareOrdinal(Protocol, other.Protocol);
        if (byProtocol != 0)
        {
            return byProtocol;
        }
        var byHostIp = string.CompareOrdinal(HostIp, other.HostIp);
        return byHostIp != 0 ? byHostIp : Port.CompareTo(other.Port);
    }
}

using System.Globalization;

namespace NetfilterExporter.HostPorts;

/// <summary>What a DNAT claim competes for: traffic to this protocol, host IP ("any" without -d) and port.</summary>
public sealed record HostPortKey(string Protocol, string HostIp, int Port) : IComparable<HostPortKey>
{
    public const string AnyHostIp = "any";

    /// <summary>How people read it: "tcp/80", or "tcp/80 on 10.0.0.5" for a mapping bound to one host IP.</summary>
    public string Describe() =>
        $"{Protocol}/{Port.ToString(CultureInfo.InvariantCulture)}" + (HostIp == AnyHostIp ? "" : $" on {HostIp}");

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

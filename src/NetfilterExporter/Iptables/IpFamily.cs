namespace NetfilterExporter.Iptables;

public enum IpFamily
{
    IPv4,
    IPv6,
}

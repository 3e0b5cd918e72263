namespace NetfilterExporter.Iptables;

/// <summary>Which iptables implementation holds the rules; MicroK8s writes legacy tables.</summary>
public enum IptablesBackend
{
    Legacy,
    Nft,
}

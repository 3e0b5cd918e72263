namespace NetfilterExporter.Iptables;

/// <summary>
/// Which netfilter interface holds portmap's rules: the two iptables implementations (MicroK8s writes legacy
/// tables), or portmap's own nftables tables (CNI plugins ≥ 1.6 with <c>"backend": "nftables"</c>, or without a
/// usable iptables), which no iptables-save shows. The value of every <c>backend</c> label.
/// </summary>
public enum IptablesBackend
{
    Legacy,
    Nft,
    Nftables,
}

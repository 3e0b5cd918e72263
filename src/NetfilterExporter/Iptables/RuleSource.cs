namespace NetfilterExporter.Iptables;

/// <summary>One backend and family pair: one command that lists it, one collector, one set of label values.</summary>
public sealed record RuleSource(IptablesBackend Backend, IpFamily Family)
{
    /// <summary>The four iptables nat tables, each read with its save command.</summary>
    public static IReadOnlyList<RuleSource> Iptables { get; } =
    [
        new(IptablesBackend.Legacy, IpFamily.IPv4),
        new(IptablesBackend.Legacy, IpFamily.IPv6),
        new(IptablesBackend.Nft, IpFamily.IPv4),
        new(IptablesBackend.Nft, IpFamily.IPv6),
    ];

    /// <summary>portmap's two nftables tables, <c>ip cni_hostport</c> and <c>ip6 cni_hostport</c>.</summary>
    public static IReadOnlyList<RuleSource> Nftables { get; } =
    [
        new(IptablesBackend.Nftables, IpFamily.IPv4),
        new(IptablesBackend.Nftables, IpFamily.IPv6),
    ];

    /// <summary>portmap's nftables table, in both families.</summary>
    public const string NftablesTable = "cni_hostport";

    public bool IsNftables => Backend == IptablesBackend.Nftables;

    public string BackendLabel => Backend switch
    {
        IptablesBackend.Legacy => "legacy",
        IptablesBackend.Nft => "nft",
        _ => "nftables",
    };

    public string FamilyLabel => Family == IpFamily.IPv4 ? "ipv4" : "ipv6";

    public string CollectorName => IsNftables ? $"nftables_{FamilyLabel}" : $"iptables_{BackendLabel}_{FamilyLabel}";

    /// <summary>nft's name of the family: <c>ip</c> or <c>ip6</c>.</summary>
    public string NftFamily => Family == IpFamily.IPv4 ? "ip" : "ip6";

    /// <summary>The iptables binary a fix must use: the one whose tables hold the rule.</summary>
    /// <exception cref="InvalidOperationException">The nftables backend has no iptables binary.</exception>
    public string IptablesCommand => IsNftables
        ? throw new InvalidOperationException("portmap's nftables tables are changed with nft, not iptables")
        : $"{(Family == IpFamily.IPv4 ? "iptables" : "ip6tables")}-{BackendLabel}";

    public string SaveCommand => IsNftables ? "nft" : IptablesCommand + "-save";

    /// <summary>How a person lists this table's rules: the command a finding offers for a look.</summary>
    public string ListCommand => IsNftables ? $"nft -a list table {NftFamily} {NftablesTable}" : $"{SaveCommand} -t nat";

    public override string ToString() => $"{BackendLabel}/{FamilyLabel}";
}

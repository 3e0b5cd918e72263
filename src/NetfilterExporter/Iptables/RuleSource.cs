namespace NetfilterExporter.Iptables;

/// <summary>One backend and family pair: one save command, one collector, one set of label values.</summary>
public sealed record RuleSource(IptablesBackend Backend, IpFamily Family)
{
    public static IReadOnlyList<RuleSource> All { get; } =
    [
        new(IptablesBackend.Legacy, IpFamily.IPv4),
        new(IptablesBackend.Legacy, IpFamily.IPv6),
        new(IptablesBackend.Nft, IpFamily.IPv4),
        new(IptablesBackend.Nft, IpFamily.IPv6),
    ];

    public string BackendLabel => Backend == IptablesBackend.Legacy ? "legacy" : "nft";

    public string FamilyLabel => Family == IpFamily.IPv4 ? "ipv4" : "ipv6";

    public string CollectorName => $"iptables_{BackendLabel}_{FamilyLabel}";

    /// <summary>The iptables binary a fix must use: the one whose tables hold the rule.</summary>
    public string IptablesCommand => $"{(Family == IpFamily.IPv4 ? "iptables" : "ip6tables")}-{BackendLabel}";

    public string SaveCommand => IptablesCommand + "-save";

    public override string ToString() => $"{BackendLabel}/{FamilyLabel}";
}

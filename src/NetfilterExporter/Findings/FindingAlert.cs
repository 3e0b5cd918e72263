namespace NetfilterExporter.Findings;

/// <summary>
/// The alert each finding raises (docs/contract.md §3) and its runbook, so the landing page sends a person to the page
/// the alert would have linked: people and alerts share the finding's id and its runbook.
/// </summary>
public static class FindingAlert
{
    /// <summary>The mixin's default runbookURLBase (mixin/config.libsonnet); each runbook is docs/runbooks/&lt;alert&gt;.md.</summary>
    public const string RunbookBase = "https://github.com/netfilter-exporter/netfilter-exporter/blob/main/docs/runbooks/";

    // Keyed by the ids as docs/contract.md §3 writes them, not by the sources' constants: the renderers that ask know no
    // source (FindingAlertTests holds this table to the contract's and to the runbooks on disk).
    private static readonly Dictionary<string, string> Alerts = new(StringComparer.Ordinal)
    {
        ["hostport-dnat-duplicate"] = "NetfilterHostPortDNATDuplicate",
        // Its alert fires for the winning case, the one that black-holes traffic; a shadowed stale claim has the same runbook.
        ["hostport-stale-claim"] = "NetfilterHostPortStaleClaimWins",
        ["hostport-orphan-chain"] = "NetfilterHostPortOrphanChains",
        ["conntrack-not-loaded"] = "NetfilterConntrackNotLoaded",
        ["conntrack-not-persistent"] = "NetfilterConntrackNotPersistent",
        ["conntrack-blacklisted"] = "NetfilterConntrackBlacklisted",
        ["conntrack-table-nearly-full"] = "NetfilterConntrackTableNearlyFull",
        ["microk8s-stop-leaves-stale-rules"] = "NetfilterMicroK8sStopLeavesStaleRules",
        ["iptables-mixed-backends"] = "NetfilterIptablesMixedBackends",
        ["hostport-mixed-portmap-backends"] = "NetfilterHostPortMixedPortmapBackends",
    };

    /// <summary>The alert named for <paramref name="findingId"/> in docs/contract.md §3; null for an id it does not name.</summary>
    public static string? For(string findingId) => Alerts.GetValueOrDefault(findingId);

    /// <summary>The runbook of <paramref name="findingId"/>'s alert; null for an id without one.</summary>
    public static string? RunbookUrl(string findingId) => For(findingId) is { } alert ? RunbookBase + alert + ".md" : null;
}

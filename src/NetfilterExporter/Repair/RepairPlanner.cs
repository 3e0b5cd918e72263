using NetfilterExporter.Assessment;
using NetfilterExporter.Conntrack;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Repair;

/// <summary>
/// Plans from one collection only what its evidence confirms: the rules of claims the runtime lists as not ready or not
/// at all (stale), orphan CNI-DN-* chains, and loading nf_conntrack where modprobe is not refused. A live claim, a claim
/// no runtime judged and a duplicate it could not judge are never planned; each is listed with why.
/// </summary>
public static class RepairPlanner
{
    public const string StaleWhy = StaleClaimFindings.Id;
    public const string OrphanWhy = HostPortFindings.OrphanId;

    public static RepairPlan Plan(NodeAssessment assessment) =>
        Plan(assessment.HostPorts, assessment.Joins.Sandboxes, assessment.Joins.Conntrack, assessment.Snapshot.Node);

    /// <param name="sandboxes">The runtime join the findings were judged with.</param>
    /// <param name="conntrack">nf_conntrack as the findings saw it (kubelite's load counted); null when the probe failed or was off.</param>
    public static RepairPlan Plan(IReadOnlyList<HostPortObservation> observations, SandboxJoin sandboxes, ConntrackReport? conntrack, string? node)
    {
        var tables = new List<TableRepair>();
        var notPlanned = new List<NotPlanned>();
        foreach (var observation in observations)
        {
            if (PlanTable(observation, sandboxes, notPlanned) is { } table)
            {
                tables.Add(table);
            }
        }
        return new RepairPlan(node, tables, PlanConntrack(conntrack, notPlanned), notPlanned);
    }

    private static TableRepair? PlanTable(HostPortObservation observation, SandboxJoin sandboxes, List<NotPlanned> notPlanned)
    {
        var source = observation.Source;
        var stale = new List<HostPortClaim>();
        // A sandbox's rules go together (its chain is deleted after its last jump), so one rule that restore cannot be
        // given keeps every rule of its sandbox out of the transaction, or the chain's deletion would fail the table.
        var unwritable = observation.Report.Ports.SelectMany(port => port.Claims)
            .Where(claim => sandboxes.Of(claim).State == ClaimState.Stale && Unwritable(claim) is not null)
            .Select(claim => claim.ContainerId)
            .ToHashSet(StringComparer.Ordinal);
        // One verdict per claim and port: a claim on several ports (one jump for 80 and 443) is listed under each.
        var judged = new HashSet<(string, string)>();
        foreach (var port in observation.Report.Ports)
        {
            foreach (var claim in port.Claims)
            {
                var runtime = sandboxes.Of(claim);
                var what = $"{port.Key.Describe()} -> {claim.Destination}, {sandboxes.Describe(claim)}";
                if (runtime.State == ClaimState.Stale)
                {
                    if (Unwritable(claim) is { } argument)
                    {
                        notPlanned.Add(new NotPlanned(source, what, claim.ContainerId, runtime.Pod, NotPlannedReason.NotWritable,
                            $"its rule holds an argument iptables-restore cannot be given ({argument}); delete it by hand with the command check prints"));
                    }
                    else if (unwritable.Contains(claim.ContainerId))
                    {
                        notPlanned.Add(new NotPlanned(source, what, claim.ContainerId, runtime.Pod, NotPlannedReason.NotWritable,
                            "another rule of its sandbox holds an argument iptables-restore cannot be given, and a sandbox's rules are deleted together; delete them by hand with the commands check prints"));
                    }
                    else
                    {
                        stale.Add(claim);
                    }
                    continue;
                }
                if (!judged.Add((port.Key.Describe(), claim.ContainerId)))
                {
                    continue;
                }
                notPlanned.Add(runtime.State == ClaimState.Live
                    ? new NotPlanned(source, what, claim.ContainerId, runtime.Pod, NotPlannedReason.Live,
                        "the container runtime lists its sandbox as ready: its pod serves the port")
                    : Unknown(source, what, claim, port, sandboxes));
            }
        }
        var deletions = SurgicalDelete.Deletions(source, stale)
            .Select(deletion => new PlannedDeletion(deletion, Pod(deletion, stale, sandboxes), StaleWhy))
            .Concat(source.IsNftables ? [] : SurgicalDelete.OrphanDeletions(observation.Report.OrphanChains).Select(deletion => new PlannedDeletion(deletion, null, OrphanWhy)))
            .ToList();
        return deletions.Count == 0 ? null : new TableRepair(source, deletions, observation.Report.CniChains);
    }

    private static NotPlanned Unknown(RuleSource source, string what, HostPortClaim claim, HostPortClaims port, SandboxJoin sandboxes)
    {
        if (sandboxes.Of(claim).BeingCreated)
        {
            return new NotPlanned(source, what, claim.ContainerId, null, NotPlannedReason.BeingCreated,
                "being created: containerd holds its sandbox but CRI does not list it yet (portmap writes the rules before the pod is ready), so its pod is starting");
        }
        // check's guess for a duplicate (the last claim on a port is the newest sandbox's) needs a person to confirm it.
        if (port.Claims.Count > 1 && claim.Position < port.Claims.Count)
        {
            return new NotPlanned(source, what, claim.ContainerId, null, NotPlannedReason.DuplicateNotJudged,
                "a duplicate the container runtime could not judge: fix never guesses which claim is stale; check offers its delete after a manual confirmation");
        }
        return claim.ContainerId == PortmapComment.Unknown || claim.ContainerId.Length < SandboxJoin.ShortestUsableIdPrefix
            ? new NotPlanned(source, what, claim.ContainerId, null, NotPlannedReason.NoSandboxId,
                "the rule's comment names no usable sandbox id, so no runtime can say whether its pod runs")
            : sandboxes.Sandboxes is null
                ? new NotPlanned(source, what, claim.ContainerId, null, NotPlannedReason.RuntimeNotAsked,
                    "state unknown: no container runtime answered in this collection (none found, --cri.endpoint=none, or the cri collector failed)")
                : new NotPlanned(source, what, claim.ContainerId, null, NotPlannedReason.RuntimeCouldNotJudge,
                    "state unknown: the container runtime's list could not be confirmed after the tables were read, so it is no evidence either way");
    }

    /// <summary>The first argument of a stale claim's rules that iptables-restore cannot be given; null when all can.</summary>
    private static string? Unwritable(HostPortClaim claim) => claim.Rule is ClaimRule.Iptables rule
        ? (rule.Entry ?? rule.Dnat).Arguments.FirstOrDefault(argument => !RestoreQuote.CanWrite(argument)) is { } bad
            ? bad.Length == 0 ? "an empty argument" : "a line break"
            : null
        : null;

    private static string? Pod(RuleDeletion deletion, List<HostPortClaim> claims, SandboxJoin sandboxes) =>
        claims.FirstOrDefault(claim => claim.ContainerId == deletion.SandboxId) is { } claim ? sandboxes.Of(claim).Pod : null;

    private static ConntrackRepair? PlanConntrack(ConntrackReport? report, List<NotPlanned> notPlanned)
    {
        if (report is null)
        {
            return null;
        }
        foreach (var entry in report.Blacklist)
        {
            notPlanned.Add(new NotPlanned(null, $"{entry.Location}: {entry.Text}", null, null, NotPlannedReason.LeftToOperator,
                $"{ConntrackFindings.BlacklistedId}: fix does not edit modprobe.d or the boot loader; run the fix check prints"));
        }
        var unlisted = report.BootLoadSources.Count == 0 && !report.ModuleBuiltIn;
        if (!report.SysctlPresent)
        {
            if (!report.ManualModprobeWorks)
            {
                notPlanned.Add(new NotPlanned(null, "modprobe nf_conntrack", null, null, NotPlannedReason.ModprobeRefused,
                    $"{ConntrackFindings.NotLoadedId}: modprobe is refused now; lift what {ConntrackFindings.BlacklistedId} names first"));
                return null;
            }
            notPlanned.Add(new NotPlanned(null, "sudo snap restart microk8s.daemon-kubelite", null, null, NotPlannedReason.LeftToOperator,
                $"{ConntrackFindings.NotLoadedId}: fix never restarts services; restart kubelite once the module is loaded so kube-proxy starts"));
            return new ConntrackRepair(true, unlisted ? ConntrackRepair.BootFilePath : null);
        }
        // conntrack-not-persistent: loaded now, nothing loads it at the next boot.
        return !report.BootLoadConfigured && unlisted ? new ConntrackRepair(false, ConntrackRepair.BootFilePath) : null;
    }
}

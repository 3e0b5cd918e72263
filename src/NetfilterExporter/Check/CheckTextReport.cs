using System.Globalization;
using System.Text;
using NetfilterExporter.Assessment;
using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Check;

/// <summary>`check` for a person on the node at night: what was read, what is wrong, and the commands to fix it.</summary>
public static class CheckTextReport
{
    public static string Render(NodeAssessment assessment)
    {
        var text = new StringBuilder();
        text.Append("Collectors:\n");
        foreach (var collector in assessment.Collectors)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {collector.Name,-22} {(collector.Success ? "ok" : "FAILED"),-7} {collector.Duration.TotalSeconds:0.000}s");
            text.Append(collector.Error is null ? "\n" : $"  {collector.Error}\n");
        }
        var ports = assessment.HostPorts.SelectMany(observation => observation.Report.Ports.Select(port => (observation.Source, Port: port))).ToList();
        if (ports.Count > 0)
        {
            text.Append("\nHost ports (DNAT claims reachable from CNI-HOSTPORT-DNAT, first wins):\n");
            foreach (var (source, port) in ports)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {source} {port.Key.Describe()}: ");
                text.Append(string.Join(", then ", port.Claims.Select(claim =>
                    $"{claim.Destination} ({Owner(assessment.Sandboxes, claim)}, {claim.Packets.ToString(CultureInfo.InvariantCulture)} pkts)")));
                text.Append(assessment.Sandboxes.Of(port.Winner).State == ClaimState.Stale ? "   <-- STALE WINNER\n"
                    : port.Claims.Count > 1 ? "   <-- DUPLICATE\n" : "\n");
            }
        }
        if (assessment.Sandboxes.Sandboxes is { } sandboxes)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nContainer runtime: {sandboxes.Ready} sandbox(es) ready, {sandboxes.NotReady} not ready\n");
        }
        if (assessment.Conntrack is { } conntrack)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\nnf_conntrack: loaded {YesNo.Of(conntrack.ModuleLoaded)}, built in {YesNo.Of(conntrack.ModuleBuiltIn)}, nf_conntrack_max present {YesNo.Of(conntrack.SysctlPresent)}, loads at boot {YesNo.Of(conntrack.BootLoadConfigured)}");
            text.Append(conntrack.BootLoadSources.Count > 0 ? $" ({string.Join(", ", conntrack.BootLoadSources)})\n" : "\n");
        }
        text.Append('\n');
        if (assessment.Findings.Count == 0)
        {
            text.Append(assessment.Health == NodeHealth.Healthy ? "No findings: this node is healthy.\n" : "No findings in what could be read.\n");
            if (!assessment.Sandboxes.RuntimeKnown && assessment.HostPorts.Any(observation => observation.Report.Ports.Count > 0))
            {
                text.Append("The container runtime was not asked (--cri.endpoint), so a claim of a pod that no longer runs cannot be told from a live one.\n");
            }
        }
        foreach (var finding in assessment.Findings)
        {
            text.Append(finding.Severity == FindingSeverity.Critical ? "CRITICAL " : "WARNING ").Append(finding.Id).Append('\n');
            text.Append("  ").Append(finding.Summary).Append('\n');
            foreach (var detail in finding.Details)
            {
                text.Append("    ").Append(detail).Append('\n');
            }
            foreach (var fix in finding.Fixes)
            {
                text.Append("  Fix: ").Append(fix.Description).Append('\n');
                foreach (var command in fix.Commands)
                {
                    text.Append("    ").Append(command).Append('\n');
                }
            }
            text.Append('\n');
        }
        text.Append("Status: ").Append(assessment.Status).Append('\n');
        return text.ToString();
    }

    /// <summary>"default/ingress 4b42590d177e, stale": the pod when the runtime lists it, the sandbox id always.</summary>
    private static string Owner(SandboxJoin sandboxes, HostPortClaim claim)
    {
        var runtime = sandboxes.Of(claim);
        var id = ContainerIds.Short(claim.ContainerId);
        return (runtime.Pod is { } pod ? $"{pod} {id}" : id) + (runtime.State == ClaimState.Unknown ? "" : $", {runtime.StateLabel}");
    }
}

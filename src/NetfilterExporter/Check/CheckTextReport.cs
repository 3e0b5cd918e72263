using System.Globalization;
using System.Text;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Findings;

namespace NetfilterExporter.Check;

/// <summary>`check` for a person on the node at night: what was read, what is wrong, and the commands to fix it.</summary>
public static class CheckTextReport
{
    public static string Render(CheckReport report)
    {
        var text = new StringBuilder();
        text.Append("Collectors:\n");
        foreach (var collector in report.Collectors)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {collector.Name,-22} {(collector.Success ? "ok" : "FAILED"),-7} {collector.DurationSeconds:0.000}s");
            text.Append(collector.Error is null ? "\n" : $"  {collector.Error}\n");
        }
        if (report.HostPorts.Count > 0)
        {
            text.Append("\nHost ports (DNAT claims reachable from CNI-HOSTPORT-DNAT, first wins):\n");
            foreach (var port in report.HostPorts)
            {
                var hostIp = port.HostIp == "any" ? "" : $" on {port.HostIp}";
                text.Append(CultureInfo.InvariantCulture, $"  {port.Backend}/{port.Family} {port.Protocol}/{port.Port}{hostIp}: ");
                text.Append(string.Join(", then ", port.Claims.Select(claim => $"{claim.Destination} ({ContainerIds.Short(claim.ContainerId)}, {claim.Packets} pkts)")));
                text.Append(port.Claims.Count > 1 ? "   <-- DUPLICATE\n" : "\n");
            }
        }
        if (report.Conntrack is { } conntrack)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\nnf_conntrack: loaded {YesNo(conntrack.ModuleLoaded)}, built in {YesNo(conntrack.ModuleBuiltIn)}, nf_conntrack_max present {YesNo(conntrack.SysctlPresent)}, loads at boot {YesNo(conntrack.BootLoadConfigured)}");
            text.Append(conntrack.BootLoadSources.Count > 0 ? $" ({string.Join(", ", conntrack.BootLoadSources)})\n" : "\n");
        }
        text.Append('\n');
        if (report.Findings.Count == 0)
        {
            text.Append(report.ExitCode == 0 ? "No findings: this node is healthy.\n" : "No findings in what could be read.\n");
        }
        foreach (var finding in report.Findings)
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
        text.Append("Status: ").Append(report.Status).Append('\n');
        return text.ToString();
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}

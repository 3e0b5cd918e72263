using System.Globalization;
using System.Text;
using NetfilterExporter.Assessment;
using NetfilterExporter.Findings;
using NetfilterExporter.Instrumentation;

namespace NetfilterExporter.Check;

/// <summary>`check` for a person on the node at night: what was read, what is wrong, and the commands to fix it.</summary>
public static class CheckTextReport
{
    public static string Render(NodeAssessment assessment)
    {
        var text = new StringBuilder();
        // First, so a pasted report always says which node, when, and what read it.
        text.Append(CultureInfo.InvariantCulture,
            $"Node {assessment.Snapshot.Node ?? "(not named)"}, collected {assessment.CollectedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC by netfilter-exporter {BuildInfo.FromAssembly().Version}\n\n");
        // Each collector says what it read, so a report on a saved dump is never taken for this machine's own; its error
        // is printed here only (CheckCommand keeps the failure log off stderr).
        text.Append("Collectors:\n");
        foreach (var collector in assessment.Collectors)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {collector.Name,-22} {(collector.Success ? "ok" : "FAILED"),-7} {collector.Duration.TotalSeconds:0.000}s");
            text.Append(collector.Source is null ? "\n" : $"  {collector.Source}\n");
            if (collector.Error is not null)
            {
                text.Append("      ").Append(collector.Error).Append('\n');
            }
        }
        foreach (var part in assessment.Parts)
        {
            part.WriteText(text);
        }
        text.Append('\n');
        if (assessment.Findings.Count == 0)
        {
            text.Append(assessment.NothingToCheck ? $"No findings: {NodeAssessment.NothingToCheckText}.\n"
                : assessment.Health == NodeHealth.Healthy ? "No findings: this node is healthy.\n"
                : "No findings in what could be read.\n");
        }
        // In every run that has something unchecked, a critical one too: an "unknown" claim is read next to it.
        var caveats = assessment.Parts.Select(part => part.Caveat).OfType<string>().ToList();
        foreach (var caveat in caveats)
        {
            text.Append(caveat).Append('\n');
        }
        if (assessment.Findings.Count > 0 && caveats.Count > 0)
        {
            text.Append('\n');
        }
        foreach (var finding in assessment.Findings)
        {
            // One sentence per finding, after the id that alerts and runbooks share.
            text.Append(finding.Severity == FindingSeverity.Critical ? "CRITICAL " : "WARNING ").Append(finding.Id).Append(": ").Append(finding.Summary).Append('\n');
            foreach (var detail in finding.Details)
            {
                text.Append("    ").Append(detail).Append('\n');
            }
            WriteFixes(text, finding.Fixes);
            text.Append('\n');
        }
        text.Append("Status: ").Append(assessment.Status).Append('\n');
        return text.ToString();
    }

    /// <summary>A lone fix on its heading's line, several under their heading, each with its label (<see cref="FixGroup"/>).</summary>
    private static void WriteFixes(StringBuilder text, IReadOnlyList<FixStep> fixes)
    {
        foreach (var group in FixGroup.Of(fixes))
        {
            if (group.Items is [(_, var only)])
            {
                text.Append("  ").Append(group.Heading).Append(": ").Append(only.Description).Append('\n');
                foreach (var command in only.Commands)
                {
                    text.Append("    ").Append(command).Append('\n');
                }
                continue;
            }
            text.Append("  ").Append(group.Heading).Append(":\n");
            foreach (var (label, fix) in group.Items)
            {
                text.Append("    ").Append(label).Append(' ').Append(fix.Description).Append('\n');
                foreach (var command in fix.Commands)
                {
                    text.Append("    ").Append(' ', label.Length + 1).Append(command).Append('\n');
                }
            }
        }
    }
}

using System.Net;
using System.Text;
using NetfilterExporter.Assessment;
using NetfilterExporter.Findings;
using NetfilterExporter.Instrumentation;

namespace NetfilterExporter.Web;

/// <summary>The page a person sees at /: what this is, where the metrics are, and what is wrong right now with the fix.</summary>
public static class LandingPage
{
    public static string Render(NodeAssessment assessment, BuildInfo build, string telemetryPath)
    {
        var html = new StringBuilder(4096);
        // Every node's tab and heading name the node, so a dozen open tabs can be told apart.
        var heading = assessment.Snapshot.Node is { } node ? $"netfilter-exporter on {node}" : "netfilter-exporter";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(heading)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:.5rem;overflow-x:auto}")
            .Append(".critical{color:#b00020}.warning{color:#a15c00}.ok{color:#1b5e20}td,th{padding:.2rem .6rem;text-align:left}</style></head><body>\n")
            .Append("<h1>").Append(E(heading)).Append("</h1>\n<p>Version ").Append(E(build.Version)).Append(" (revision ").Append(E(build.Revision))
            .Append(", .NET ").Append(E(build.DotnetVersion)).Append(")</p>\n<p><a href=\"").Append(E(telemetryPath.TrimStart('/'))).Append("\">Metrics</a> · <a href=\"healthz\">Health</a></p>\n")
            .Append("<h2>Collectors</h2>\n<table><tr><th>collector</th><th>status</th><th>seconds</th><th>error</th></tr>\n");
        foreach (var outcome in assessment.Collectors)
        {
            html.Append("<tr><td>").Append(E(outcome.Name)).Append("</td><td class=\"").Append(outcome.Success ? "ok\">ok" : "critical\">failed")
                .Append("</td><td>").Append(outcome.Duration.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(E(outcome.Error ?? "")).Append("</td></tr>\n");
        }
        html.Append("</table>\n<h2>Findings</h2>\n");
        var findings = assessment.Findings;
        if (assessment.Health == NodeHealth.CouldNotCollect)
        {
            html.Append("<p class=\"critical\">FAILED: ").Append(E(assessment.Status)).Append(". No findings in what could be read, but ")
                .Append(assessment.FailedCollectors.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" collector(s) failed (see above): this node's health is not known.</p>\n");
        }
        else if (assessment.NothingToCheck)
        {
            html.Append("<p class=\"warning\">No findings, but ").Append(E(NodeAssessment.NothingToCheckText))
                .Append(": no table read holds portmap's CNI-HOSTPORT-DNAT chain (not a Kubernetes node, the wrong network namespace, or a backend not read).</p>\n");
        }
        else if (assessment.Health == NodeHealth.Healthy)
        {
            html.Append("<p class=\"ok\">No findings: ").Append(E(Sentence(assessment.Parts.Select(part => part.HealthyClause).OfType<string>().ToList()))).Append(".</p>\n");
        }
        foreach (var finding in findings)
        {
            var severity = finding.Severity == FindingSeverity.Critical ? "critical" : "warning";
            html.Append("<section><h3 class=\"").Append(severity).Append("\">").Append(severity.ToUpperInvariant()).Append(": ").Append(E(finding.Id)).Append("</h3>\n<p>")
                .Append(E(finding.Summary)).Append("</p>\n");
            if (finding.Details.Count > 0)
            {
                html.Append("<pre>").Append(E(string.Join('\n', finding.Details))).Append("</pre>\n");
            }
            WriteFixes(html, finding.Fixes);
            html.Append("</section>\n");
        }
        html.Append("<p>Collected at ").Append(E(assessment.CollectedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture))).Append(".</p>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>As `check` groups and labels them (<see cref="FixGroup"/>).</summary>
    private static void WriteFixes(StringBuilder html, IReadOnlyList<FixStep> fixes)
    {
        foreach (var group in FixGroup.Of(fixes))
        {
            html.Append("<h4>").Append(E(group.Heading)).Append("</h4>\n");
            foreach (var (label, fix) in group.Items)
            {
                html.Append("<p>").Append(E(label.Length > 0 ? label + " " : "")).Append(E(fix.Description)).Append("</p>\n");
                if (fix.Commands.Count > 0)
                {
                    html.Append("<pre>").Append(E(string.Join('\n', fix.Commands))).Append("</pre>\n");
                }
            }
        }
    }

    /// <summary>"a, b, and c": each source's clause of the healthy verdict.</summary>
    private static string Sentence(IReadOnlyList<string> clauses) =>
        clauses.Count < 2 ? string.Concat(clauses) : string.Join(", ", clauses.Take(clauses.Count - 1)) + ", and " + clauses[^1];

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

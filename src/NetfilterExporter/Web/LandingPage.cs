using System.Globalization;
using System.Text;
using NetfilterExporter.Assessment;
using NetfilterExporter.Findings;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Reporting;

namespace NetfilterExporter.Web;

/// <summary>
/// The page a person sees at /: the verdict, each finding as a sentence with its fixes and runbook, what every source
/// read (each source writes its own section), and the collectors. It loads nothing from elsewhere: the exporter may be
/// reached through networks that reach nothing else, so its style and its one script are inline.
/// </summary>
public static class LandingPage
{
    // Commands and claim details carry 64-character ids and long rule specs: they wrap anywhere rather than scroll
    // sideways, so a command is read whole at any width. Colours keep WCAG AA contrast on white.
    private const string Style =
        "body{font-family:system-ui,sans-serif;line-height:1.45;color:#1a1a1a;background:#fff;max-width:64rem;margin:0 auto;padding:0 1rem 2rem}" +
        "header{border-bottom:1px solid #bbb;padding:.8rem 0 .4rem}h1{font-size:1.6rem;margin:.2rem 0}header p{margin:.2rem 0}" +
        "nav ul{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}" +
        "h1,h2,h3,h4,p,li,dd{overflow-wrap:anywhere}td,th{overflow-wrap:break-word}td.long{overflow-wrap:anywhere}" +
        "h2{font-size:1.3rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #ddd}h3{font-size:1.05rem;font-weight:normal;margin:0 0 .3rem}h3 .severity{font-weight:bold}" +
        "h4{font-size:1rem;margin:.9rem 0 .2rem}" +
        ".meta,.sub,.finding-id{color:#4a4a4a;font-size:.9rem}" +
        "code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}" +
        "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f3f3f3;border:1px solid #c8c8c8;border-radius:4px;padding:.5rem .6rem;margin:.2rem 0 .7rem;font-size:.85rem}" +
        // One command a line, its wrapped rest indented, so where the next command starts stays plain.
        "pre.command .line{display:block;padding-left:2ch;text-indent:-2ch}" +
        "ul.details{list-style:none;padding:0;margin:.4rem 0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}" +
        "ul.details li{white-space:pre-wrap;padding-left:1.5rem;text-indent:-1.5rem}ul.details li.indent{margin-left:1.5rem}" +
        "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #ddd}" +
        // A phone has no room for six columns: each row becomes a block of labelled lines.
        "@media (max-width:40rem){table thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
        "table,tbody,tr,th,td{display:block}tr{border-bottom:1px solid #ddd;padding:.3rem 0}th,td{border:0;padding:.1rem 0;overflow-wrap:anywhere}" +
        "td[data-label]::before{content:attr(data-label) \": \";font-weight:600;color:#1a1a1a}td:empty{display:none}dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.3rem}}" +
        "dl.facts{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.2rem 1rem;margin:.4rem 0}dl.facts dt{font-weight:600}dl.facts dd{margin:0}" +
        ".finding{border-left:4px solid #8a4b00;padding:.2rem 0 .2rem .8rem;margin:1rem 0 1.6rem}.finding.severity-critical{border-left-color:#b00020}" +
        ".fix p{margin:.3rem 0 .1rem}.copy{display:block;margin:.2rem 0 0 auto;font:inherit;font-size:.8rem;padding:.1rem .5rem}" +
        ".critical,.state-stale{color:#b00020}.warning{color:#8a4b00}.ok,.state-live{color:#1b5e20}" +
        "footer{border-top:1px solid #bbb;margin-top:2rem;padding-top:.4rem}";

    // Copies a command block whole. Only offered where it can work: the clipboard API needs a secure context (https or
    // localhost), so elsewhere the button selects the block for the person's own copy. A Content-Security-Policy without
    // 'unsafe-inline' scripts leaves the commands as they are, selectable, without buttons.
    private const string Script =
        "document.querySelectorAll('pre.command').forEach(function(pre){" +
        "var b=document.createElement('button');b.type='button';b.className='copy';b.textContent='Copy commands';" +
        "b.addEventListener('click',function(){var text=pre.textContent;" +
        "function select(){var r=document.createRange();r.selectNodeContents(pre);var s=window.getSelection();s.removeAllRanges();s.addRange(r);b.textContent='Selected: press Ctrl+C';}" +
        "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(text).then(function(){b.textContent='Copied';},select);}else{select();}});" +
        "pre.parentNode.insertBefore(b,pre);});";

    public static string Render(NodeAssessment assessment, BuildInfo build, string telemetryPath)
    {
        var html = new StringBuilder(16384);
        // Every node's tab and heading name the node, so a dozen open tabs can be told apart.
        var heading = assessment.Snapshot.Node is { } node ? $"netfilter-exporter on {node}" : "netfilter-exporter";
        var collectedAt = assessment.CollectedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(heading)).Append("</title><style>").Append(Style).Append("</style></head><body>\n")
            .Append("<header><h1>").Append(E(heading)).Append("</h1>\n<p class=\"meta\">Collected ").Append(E(collectedAt))
            .Append(" · version ").Append(E(build.Version)).Append(" (revision ").Append(E(build.Revision)).Append(", .NET ").Append(E(build.DotnetVersion)).Append(")</p>\n")
            .Append("<nav aria-label=\"Exporter\"><ul><li><a href=\"").Append(E(telemetryPath.TrimStart('/'))).Append("\">Metrics</a></li><li><a href=\"healthz\">Health</a></li>")
            .Append("<li><a href=\"").Append(FindingAlert.RunbookBase).Append("README.md\">Runbooks</a></li></ul></nav></header>\n<main>\n");
        WriteStatus(html, assessment);
        // What was read first, short, so the port a finding names is found in the overview; then the findings in full.
        foreach (var part in assessment.Parts)
        {
            part.WriteHtml(html);
        }
        if (assessment.Findings.Count > 0)
        {
            html.Append("<section aria-labelledby=\"findings\"><h2 id=\"findings\">Findings</h2>\n");
            for (var index = 0; index < assessment.Findings.Count; index++)
            {
                WriteFinding(html, assessment.Findings[index], index + 1);
            }
            html.Append("</section>\n");
        }
        WriteCollectors(html, assessment);
        html.Append("</main>\n<footer><p class=\"meta\">This server only reads netfilter state: it never changes a rule. Only a person running fix --apply on the node does; read a fix before running it.</p></footer>\n")
            .Append("<script>").Append(Script).Append("</script>\n</body></html>\n");
        return html.ToString();
    }

    private static void WriteStatus(StringBuilder html, NodeAssessment assessment)
    {
        html.Append("<section aria-labelledby=\"status\"><h2 id=\"status\">Status</h2>\n");
        if (assessment.Health == NodeHealth.FindingsPresent)
        {
            var critical = assessment.Findings.Any(finding => finding.Severity == FindingSeverity.Critical);
            html.Append("<p class=\"").Append(critical ? "critical" : "warning").Append("\"><strong>").Append(E(assessment.Status))
                .Append("</strong>: each is below with its fixes and runbook.</p>\n");
        }
        else if (assessment.Health == NodeHealth.CouldNotCollect)
        {
            html.Append("<p class=\"critical\">FAILED: ").Append(E(assessment.Status)).Append(". No findings in what could be read, but ")
                .Append(assessment.FailedCollectors.Count.ToString(CultureInfo.InvariantCulture))
                .Append(" collector(s) failed (see <a href=\"#collectors\">Collectors</a>): this node's health is not known.</p>\n");
        }
        else if (assessment.NothingToCheck)
        {
            html.Append("<p class=\"warning\">No findings, but ").Append(E(NodeAssessment.NothingToCheckText))
                .Append(": no table read holds portmap's CNI-HOSTPORT-DNAT chain (not a Kubernetes node, the wrong network namespace, or a backend not read).</p>\n");
        }
        else
        {
            html.Append("<p class=\"ok\">No findings: ").Append(E(Sentence(assessment.Parts.Select(part => part.HealthyClause).OfType<string>().ToList()))).Append(".</p>\n");
        }
        // As `check` says them, with a verdict of any kind: an "unknown" state is read next to them.
        foreach (var caveat in assessment.Parts.Select(part => part.Caveat).OfType<string>())
        {
            html.Append("<p>").Append(E(caveat)).Append("</p>\n");
        }
        html.Append("</section>\n");
    }

    /// <summary>
    /// The heading is the finding as a sentence; its id, which the alert and the runbook share, is shown small beside
    /// the runbook link.
    /// </summary>
    private static void WriteFinding(StringBuilder html, Finding finding, int number)
    {
        var severity = finding.Severity == FindingSeverity.Critical ? "critical" : "warning";
        var id = "finding-" + number.ToString(CultureInfo.InvariantCulture);
        html.Append("<section class=\"finding severity-").Append(severity).Append("\" aria-labelledby=\"").Append(id).Append("\">")
            .Append("<h3 id=\"").Append(id).Append("\"><span class=\"severity ").Append(severity).Append("\">")
            .Append(finding.Severity == FindingSeverity.Critical ? "Critical" : "Warning").Append(":</span> ").Append(E(finding.Summary)).Append("</h3>\n")
            .Append("<p class=\"finding-id\">Finding <code>").Append(E(finding.Id)).Append("</code>");
        if (FindingAlert.RunbookUrl(finding.Id) is { } runbook)
        {
            html.Append(" · <a href=\"").Append(E(runbook)).Append("\">Runbook: ").Append(E(FindingAlert.For(finding.Id)!)).Append("</a>");
        }
        html.Append("</p>\n");
        if (finding.Details.Count > 0)
        {
            html.Append("<ul class=\"details\">");
            foreach (var detail in finding.Details)
            {
                // Details indent their sub-lines (a port's claims) with spaces, as `check` prints them.
                var indented = detail.StartsWith(' ');
                html.Append(indented ? "<li class=\"indent\">" : "<li>").Append(E(detail.TrimStart(' '))).Append("</li>");
            }
            html.Append("</ul>\n");
        }
        WriteFixes(html, finding.Fixes);
        html.Append("</section>\n");
    }

    /// <summary>As `check` groups and labels them (<see cref="FixGroup"/>): each group a heading, each fix its label, its commands in one block.</summary>
    private static void WriteFixes(StringBuilder html, IReadOnlyList<FixStep> fixes)
    {
        foreach (var group in FixGroup.Of(fixes))
        {
            html.Append("<h4>").Append(E(group.Heading)).Append("</h4>\n");
            foreach (var (label, fix) in group.Items)
            {
                html.Append("<div class=\"fix\"><p>");
                if (label.Length > 0)
                {
                    html.Append("<strong>").Append(E(label)).Append("</strong> ");
                }
                html.Append(E(fix.Description)).Append("</p>");
                if (fix.Commands.Count > 0)
                {
                    // The newline after each command but the last stays in the text (inside its line, where it adds no blank
                    // line), so a copy of the block pastes as the lines it shows.
                    html.Append("<pre class=\"command\"><code>")
                        .AppendJoin("\n</span>", fix.Commands.Select(command => "<span class=\"line\">" + E(command)))
                        .Append("</span></code></pre>");
                }
                html.Append("</div>\n");
            }
        }
    }

    private static void WriteCollectors(StringBuilder html, NodeAssessment assessment)
    {
        html.Append("<section aria-labelledby=\"collectors\"><h2 id=\"collectors\">Collectors</h2>\n<table><thead><tr><th scope=\"col\">Collector</th>")
            .Append("<th scope=\"col\">Status</th><th scope=\"col\">Seconds</th><th scope=\"col\">Read</th><th scope=\"col\">Error</th></tr></thead>\n<tbody>\n");
        foreach (var outcome in assessment.Collectors)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(outcome.Name)).Append("</th><td data-label=\"Status\" class=\"")
                .Append(outcome.Success ? "ok\">ok" : "critical\"><strong>failed</strong>")
                .Append("</td><td data-label=\"Seconds\">").Append(outcome.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture))
                // A saved dump is named as a file, the node's own state as "this machine", as `check` does.
                .Append("</td><td data-label=\"Read\" class=\"long\">").Append(E(outcome.Source ?? ""))
                .Append("</td><td data-label=\"Error\" class=\"long\">").Append(E(outcome.Error ?? "")).Append("</td></tr>\n");
        }
        html.Append("</tbody></table></section>\n");
    }

    /// <summary>"a, b, and c": each source's clause of the healthy verdict.</summary>
    private static string Sentence(IReadOnlyList<string> clauses) =>
        clauses.Count < 2 ? string.Concat(clauses) : string.Join(", ", clauses.Take(clauses.Count - 1)) + ", and " + clauses[^1];

    private static string E(string text) => Html.Encode(text);
}

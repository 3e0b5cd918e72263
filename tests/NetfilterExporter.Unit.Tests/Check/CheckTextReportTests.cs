using System.Text;
using NetfilterExporter.Check;
using NetfilterExporter.Collection;
using NetfilterExporter.Cri;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Check;

/// <summary>
/// `check`'s text for a tired reader (issue 27): the node and time first, each collector with what it read, one
/// sentence per finding, the fixes offered as a choice. Its whole layout is pinned by <see cref="CheckGoldenFileTests"/>.
/// </summary>
public sealed class CheckTextReportTests
{
    [Fact]
    public async Task The_report_starts_with_the_node_and_names_a_saved_dump_apart_from_this_machine()
    {
        var text = CheckTextReport.Render(await KnownNode.AssessAsync());

        Assert.StartsWith("Node gpu-worker-1, collected 1970-01-01 00:00:00 UTC by netfilter-exporter ", text, StringComparison.Ordinal);
        Assert.Contains("  iptables_legacy_ipv4   ok      0.013s  file examples/after-stop-start.legacy-ipv4.txt\n", text, StringComparison.Ordinal);
        Assert.Contains("  conntrack              ok      0.000s  this machine: procfs /proc, sysfs /sys, rootfs /\n", text, StringComparison.Ordinal);
        Assert.Contains("\nnf_conntrack on this machine: loaded ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_collector_error_appears_once()
    {
        var text = CheckTextReport.Render(await KnownNode.AssessAsync());

        Assert.Single(text.Split('\n'), line => line.Contains("iptables-nft-save not found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_finding_is_one_line_led_by_its_severity_and_id_and_its_fixes_are_a_choice()
    {
        var assessment = await KnownNode.AssessAsync();
        var text = CheckTextReport.Render(assessment);

        foreach (var finding in assessment.Findings)
        {
            var severity = finding.Severity == NetfilterExporter.Findings.FindingSeverity.Critical ? "CRITICAL" : "WARNING";
            Assert.Contains($"\n{severity} {finding.Id}: {finding.Summary}\n", text, StringComparison.Ordinal);
        }
        var duplicate = text[text.IndexOf("CRITICAL hostport-dnat-duplicate: ", StringComparison.Ordinal)..];
        var pick = duplicate.IndexOf("  Fix (pick one):\n    a) ", StringComparison.Ordinal);
        Assert.True(pick > 0, duplicate);
        Assert.True(duplicate.IndexOf("\n    b) ", pick, StringComparison.Ordinal) > pick, duplicate);
        Assert.True(duplicate.IndexOf("  Prevent it", pick, StringComparison.Ordinal) > pick, duplicate);
        Assert.DoesNotContain("<your track>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_runtime_that_was_asked_and_failed_is_not_said_to_be_unasked()
    {
        var failed = new RuntimeSection(null, claimsExist: true, new CollectorOutcome(CriCollector.CollectorName, false, TimeSpan.Zero, "connection refused"));
        var unasked = new RuntimeSection(null, claimsExist: true, asked: null);

        Assert.StartsWith("The container runtime was asked and did not answer (the cri collector failed, see above)", failed.Caveat, StringComparison.Ordinal);
        Assert.DoesNotContain("not asked", failed.Caveat, StringComparison.Ordinal);
        Assert.StartsWith("The container runtime was not asked (", unasked.Caveat, StringComparison.Ordinal);
        Assert.Contains("every claim is \"unknown\"", unasked.Caveat, StringComparison.Ordinal);
        var page = new StringBuilder();
        failed.WriteHtml(page);
        Assert.Contains("The runtime was asked and did not answer (see Collectors)", page.ToString(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Cri;
using NetfilterExporter.Findings;
using NetfilterExporter.Host;
using NetfilterExporter.HostPorts;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Iptables;
using NetfilterExporter.MicroK8s;
using NetfilterExporter.Sources;
using NetfilterExporter.TestSupport;
using NetfilterExporter.Web;

namespace NetfilterExporter.Unit.Tests.Web;

/// <summary>
/// The landing page's structure from known snapshots: the node named, the host port overview, the nf_conntrack line,
/// each finding as a sentence with its id, runbook and labelled fixes, and the landmarks a screen reader navigates by.
/// How it looks in a browser is NetfilterExporter.Tests' LandingPageBrowserTests.
/// </summary>
public sealed class LandingPageTests
{
    private static readonly BuildInfo Build = new("0.1.0", "0123456789abcdef", "10.0.0");

    /// <summary>After a MicroK8s stop/start: the old ingress sandbox not ready, the new one ready.</summary>
    private static readonly PodSandboxes OldPodStopped = ExampleSandboxes.AfterStopStart();

    [Fact]
    public async Task The_title_and_the_one_h1_name_the_node_encoded()
    {
        var page = await RenderAsync("after-stop-start.legacy-ipv4.txt", "not-loaded", OldPodStopped, node: "edge<1>&co");

        Assert.Contains("<title>netfilter-exporter on edge&lt;1&gt;&amp;co</title>", page, StringComparison.Ordinal);
        Assert.Contains("<h1>netfilter-exporter on edge&lt;1&gt;&amp;co</h1>", page, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(page, "<h1[ >]"));
    }

    [Fact]
    public async Task The_host_port_overview_has_a_row_per_port_with_its_winner_its_state_and_checks_mark()
    {
        var stale = await RenderAsync("after-stop-start.legacy-ipv4.txt", "not-loaded", OldPodStopped);
        var bothRunning = await RenderAsync("after-stop-start.legacy-ipv4.txt", "not-loaded", new PodSandboxes(
            [new Sandbox(ExampleSandboxes.OldIngress, "ingress", "old", Ready: true), new Sandbox(ExampleSandboxes.NewIngress, "ingress", "new", Ready: true)]));
        var healthy = await RenderAsync("healthy.legacy-ipv4.txt", "persistent-etc", OldPodStopped);

        Assert.Equal(
            "<tr><th scope=\"row\">tcp/80</th><td data-label=\"Table\">legacy/ipv4</td><td data-label=\"Claims\">2</td>" +
            "<td data-label=\"Winner\" class=\"long\">ingress/nginx-ingress-microk8s-controller-4tq8z<br><span class=\"sub\">sandbox 4b42590d177e → 10.1.254.70:80, 37 packets</span></td>" +
            "<td data-label=\"Winner's state\" class=\"state-stale\">stale</td><td data-label=\"Problem\" class=\"critical\"><strong>stale winner</strong></td></tr>",
            Row(stale, "tcp/80"));
        Assert.Contains("10.1.254.70:443, 112 packets", Row(stale, "tcp/443"), StringComparison.Ordinal);
        Assert.Contains("class=\"state-live\">live</td><td data-label=\"Problem\" class=\"warning\"><strong>duplicate</strong>", Row(bothRunning, "tcp/80"), StringComparison.Ordinal);
        Assert.Contains(
            ">ingress/nginx-ingress-microk8s-controller-9xk2d<br><span class=\"sub\">sandbox d6437fe2be05 → 10.1.254.72:80, 37 packets</span></td>" +
            "<td data-label=\"Winner's state\" class=\"state-live\">live</td><td data-label=\"Problem\">none</td>",
            Row(healthy, "tcp/80"), StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">Port</th>", healthy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_nf_conntrack_line_says_whether_it_is_there_now_and_at_the_next_boot()
    {
        var missing = await RenderAsync("after-stop-start.legacy-ipv4.txt", "not-loaded", OldPodStopped);
        var persistent = await RenderAsync("healthy.legacy-ipv4.txt", "persistent-etc", OldPodStopped);

        Assert.Contains("<dt>Now</dt><dd class=\"critical\">not usable: nf_conntrack_max is missing, so kube-proxy in kubelite cannot start</dd>" +
            "<dt>At the next boot</dt><dd class=\"warning\">not loaded: nothing lists it</dd><dt>Listed for boot in</dt><dd>nothing</dd>", missing, StringComparison.Ordinal);
        Assert.Matches("<dt>Now</dt><dd class=\"ok\">loaded(, \\d+ of \\d+ entries in use)?</dd><dt>At the next boot</dt><dd class=\"ok\">loaded</dd>" +
            "<dt>Listed for boot in</dt><dd>[^<]*/etc/modules-load.d/nf_conntrack.conf[^<]*</dd>", persistent);
    }

    [Fact]
    public async Task The_runtime_and_microk8s_sections_say_what_they_read()
    {
        var build = new MicroK8sBuild("v1.32.2", "7394", "strict", StopRemovesContainers: true, HostPortFlush.None, KubeliteModprobesConntrack: true, [], InLxcContainer: false);
        var asked = await RenderAsync("healthy.legacy-ipv4.txt", "persistent-etc", OldPodStopped, build);
        var notAsked = await RenderAsync("healthy.legacy-ipv4.txt", "persistent-etc", null);

        Assert.Contains("<h2 id=\"runtime\">Container runtime</h2>\n<p>2 pod sandbox(es) ready, 1 not ready (CRI ListPodSandbox).</p>", asked, StringComparison.Ordinal);
        Assert.Contains("<dt>Build</dt><dd>v1.32.2 (revision 7394, strict)</dd><dt>Next stop/start leaves stale hostPort rules</dt><dd class=\"warning\">yes</dd>" +
            "<dt>kubelite loads nf_conntrack</dt><dd>yes</dd>", asked, StringComparison.Ordinal);
        Assert.Contains("<span class=\"severity warning\">Warning:</span> ", asked, StringComparison.Ordinal);
        Assert.Contains(">Runbook: NetfilterMicroK8sStopLeavesStaleRules</a>", asked, StringComparison.Ordinal);
        Assert.Contains("<p>The runtime was not asked in this collection (none found, none configured, or saved dumps), so every claim's state is unknown.</p>", notAsked, StringComparison.Ordinal);
        Assert.Contains("class=\"state-unknown\">unknown</td>", notAsked, StringComparison.Ordinal);
        Assert.DoesNotContain("<h2 id=\"microk8s\">", notAsked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_finding_is_headed_by_its_severity_and_summary_with_its_id_and_runbook_beside()
    {
        var assessment = await AssessAsync("after-stop-start.legacy-ipv4.txt", "not-loaded", OldPodStopped);
        var page = LandingPage.Render(assessment, Build, "/metrics");

        Assert.Equal(["hostport-dnat-duplicate", "hostport-stale-claim", "conntrack-not-loaded"], assessment.Findings.Select(finding => finding.Id));
        Assert.All(assessment.Findings, finding =>
        {
            Assert.Contains($"\"><span class=\"severity critical\">Critical:</span> {WebUtility.HtmlEncode(finding.Summary)}</h3>", page, StringComparison.Ordinal);
            Assert.Contains($"<p class=\"finding-id\">Finding <code>{finding.Id}</code> · <a href=\"{FindingAlert.RunbookUrl(finding.Id)}\">Runbook: {FindingAlert.For(finding.Id)}</a></p>",
                page, StringComparison.Ordinal);
        });
        Assert.Equal(3, Regex.Matches(page, "<h3 ").Count);
        Assert.DoesNotMatch("<h3[^>]*>[^<]*hostport-dnat-duplicate", page);
        // Claim details as lines that wrap, not a side-scrolling block.
        Assert.Contains("<li class=\"indent\">1. WINS     container 4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf [stale, pod ingress/", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixes_are_grouped_and_labelled_as_check_prints_them_with_their_commands_in_one_block_each()
    {
        var page = await RenderAsync("after-stop-start.legacy-ipv4.txt", "not-loaded", OldPodStopped);
        var duplicate = Section(page, "finding-1");
        var conntrack = Section(page, "finding-3");

        Assert.Matches("<h4>Fix \\(pick one\\)</h4>\n<div class=\"fix\"><p><strong>a\\)</strong> Let netfilter-exporter do it[^<]*</p><pre class=\"command\"><code>" +
            "<span class=\"line\">sudo netfilter-exporter fix\n</span><span class=\"line\">sudo netfilter-exporter fix --apply</span></code></pre></div>\n" +
            "<div class=\"fix\"><p><strong>b\\)</strong> Surgical[^<]*</p><pre class=\"command\"><code>" +
            "<span class=\"line\">sudo iptables-legacy -t nat -D CNI-HOSTPORT-DNAT -p tcp -m comment --comment &#39;dnat name: &quot;k8s-pod-network&quot; id: &quot;4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf&quot;&#39; -m multiport --dports 80,443 -j CNI-DN-5649e0ce7bb9710670939\n</span>" +
            "<span class=\"line\">sudo iptables-legacy -t nat -F CNI-DN-5649e0ce7bb9710670939\n</span><span class=\"line\">sudo iptables-legacy -t nat -X CNI-DN-5649e0ce7bb9710670939</span></code></pre></div>\n" +
            "<div class=\"fix\"><p><strong>c\\)</strong> Documented fix", duplicate);
        Assert.Contains("<h4>Prevent it</h4>\n<div class=\"fix\"><p>Upgrade", duplicate, StringComparison.Ordinal);
        Assert.Matches("<h4>Fix \\(pick one\\)</h4>\n<div class=\"fix\"><p><strong>a\\)</strong> Let netfilter-exporter load it now[^<]*</p><pre class=\"command\"><code><span class=\"line\">sudo netfilter-exporter fix\n</span>", conntrack);
        Assert.Matches("<strong>b\\)</strong> By hand[^<]*</p><pre class=\"command\"><code><span class=\"line\">sudo modprobe nf_conntrack\n</span>", conntrack);
    }

    [Fact]
    public async Task The_page_has_landmarks_ordered_headings_scoped_headers_and_loads_nothing_from_elsewhere()
    {
        var page = await RenderAsync("after-stop-start.legacy-ipv4.txt", "not-loaded", OldPodStopped);

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", page, StringComparison.Ordinal);
        Assert.All(["<header>", "<nav aria-label=\"Exporter\">", "<main>", "</main>\n<footer>"], landmark => Assert.Contains(landmark, page, StringComparison.Ordinal));
        var levels = Regex.Matches(page, "<h([1-6])[ >]").Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(1, levels[0]);
        Assert.All(levels.Zip(levels.Skip(1)), pair => Assert.True(pair.Second <= pair.First + 1, $"h{pair.First} is followed by h{pair.Second}"));
        Assert.All(Regex.Matches(page, "<th[ >][^>]*").Select(match => match.Value), header => Assert.Matches("scope=\"(col|row)\"", header));
        Assert.DoesNotMatch("<link|<img|<iframe| src=|url\\(|@import", page);
    }

    [Fact]
    public async Task What_the_node_says_is_encoded_and_runs_nothing()
    {
        var page = await RenderAsync("after-stop-start.legacy-ipv4.txt", "not-loaded", new PodSandboxes(
            [new Sandbox(ExampleSandboxes.OldIngress, "<script>alert(1)</script>", "\"onmouseover=", Ready: false)]));

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;/&quot;onmouseover=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(page, "<script>"));
    }

    private static async Task<string> RenderAsync(string dump, string conntrackNode, PodSandboxes? sandboxes, MicroK8sBuild? build = null, string node = "node-a") =>
        LandingPage.Render(await AssessAsync(dump, conntrackNode, sandboxes, build, node), Build, "/metrics");

    /// <param name="sandboxes">What the runtime listed; null when none answered.</param>
    /// <param name="build">The MicroK8s build read; null without MicroK8s.</param>
    private static async Task<NodeAssessment> AssessAsync(string dump, string conntrackNode, PodSandboxes? sandboxes, MicroK8sBuild? build = null, string node = "node-a")
    {
        var table = HostPortAnalyzer.Analyze(await Dumps.ParseAsync(Dumps.Example(dump)));
        var root = Fixture.ConntrackNode(conntrackNode);
        var conntrack = await new ConntrackProbe(new HostPaths($"{root}/proc", $"{root}/sys", $"{root}/rootfs")).ProbeAsync(CancellationToken.None);
        List<CollectorOutcome> outcomes = [new("iptables_legacy_ipv4", true, TimeSpan.FromMilliseconds(12.5), null)];
        List<ICollectorResult> results = [new HostPortObservation(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv4), table)];
        if (sandboxes is not null)
        {
            outcomes.Add(new CollectorOutcome(CriCollector.CollectorName, true, TimeSpan.FromMilliseconds(3), null));
            results.Add(sandboxes);
        }
        outcomes.Add(new CollectorOutcome(ConntrackCollector.CollectorName, true, TimeSpan.FromMilliseconds(0.25), null));
        results.Add(conntrack);
        if (build is not null)
        {
            outcomes.Add(new CollectorOutcome(MicroK8sCollector.CollectorName, true, TimeSpan.FromMilliseconds(1), null));
            results.Add(build);
        }
        return SourceTable.Assess(new NodeSnapshot(DateTimeOffset.UnixEpoch, outcomes, results, Node: node));
    }

    /// <summary>The overview's row of <paramref name="port"/>.</summary>
    private static string Row(string page, string port) =>
        Assert.Single(Regex.Matches(page, $"<tr><th scope=\"row\">{Regex.Escape(port)}</th>.*?</tr>").Select(match => match.Value));

    /// <summary>From the heading with <paramref name="id"/> to the end of its section.</summary>
    private static string Section(string page, string id)
    {
        var start = page.IndexOf($"<h3 id=\"{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no heading {id}");
        return page[start..page.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task The_landing_page_names_what_each_collector_read_as_check_does()
    {
        var page = LandingPage.Render(await Check.KnownNode.AssessAsync(), Build, "/metrics");

        Assert.Contains("<td data-label=\"Read\" class=\"long\">file examples/after-stop-start.legacy-ipv4.txt</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"Read\" class=\"long\">this machine: procfs /proc, sysfs /sys, rootfs /</td>", page, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using NetfilterExporter.TestSupport.Cri;
using CriSandboxes = NetfilterExporter.TestSupport.Cri.PodSandboxes;

namespace NetfilterExporter.Tests.Web;

/// <summary>
/// The landing page of the shipped binary as a person sees it, in a real browser at a desktop (1280 px) and a phone
/// (390 px) width: it names the node, every fix command is readable whole in its box without scrolling sideways, and
/// axe-core finds no accessibility violation. Each run leaves full-page screenshots under TestResults/screenshots/ of
/// the repository, named in the test output, for a person to look at.
/// </summary>
public sealed class LandingPageBrowserTests
{
    private const string Node = "node-a";

    public static TheoryData<string, int> Pages => new()
    {
        { "findings", 1280 },
        { "findings", 390 },
        { "healthy", 1280 },
        { "healthy", 390 },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_page_names_the_node_and_every_fix_command_fits_its_box(string page, int width)
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(Sandboxes(page), token);
        await using var exporter = await ExporterProcess.StartAsync(Flags(page, runtime));
        await using var chromium = await HeadlessChromium.StartAsync();
        var tab = await chromium.OpenAsync(exporter.BaseAddress, width);
        var screenshot = RepositoryPaths.Combine("TestResults", "screenshots", $"landing-{page}-{width}.png");
        await tab.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {screenshot}");

        Assert.Equal($"netfilter-exporter on {Node}", await tab.TitleAsync());
        Assert.Equal($"netfilter-exporter on {Node}", await tab.Locator("h1").InnerTextAsync());
        var boxes = (await tab.EvaluateAsync<JsonElement>(
                "() => [...document.querySelectorAll('pre.command')].map(box => ({ text: box.textContent, scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, right: box.getBoundingClientRect().right }))"))
            .EnumerateArray().ToList();
        if (page == "findings")
        {
            Assert.NotEmpty(boxes);
            // The longest command of the page: the surgical delete that names a 64-character container id.
            Assert.Contains(boxes, box => box.GetProperty("text").GetString()!.Contains("-D CNI-HOSTPORT-DNAT", StringComparison.Ordinal));
        }
        Assert.All(boxes, box =>
        {
            var text = box.GetProperty("text").GetString();
            Assert.True(box.GetProperty("scrollWidth").GetDouble() <= box.GetProperty("clientWidth").GetDouble(),
                $"the command box scrolls sideways ({box.GetProperty("scrollWidth")} > {box.GetProperty("clientWidth")} px): {text}");
            Assert.True(box.GetProperty("right").GetDouble() <= width, $"the command box ends at {box.GetProperty("right")} px, beyond the {width} px viewport: {text}");
        });
        var document = await tab.EvaluateAsync<JsonElement>("() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })");
        Assert.True(document.GetProperty("scrollWidth").GetInt32() <= document.GetProperty("clientWidth").GetInt32(),
            $"the page scrolls sideways at {width} px: {document}; see {screenshot}");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Axe_core_finds_no_accessibility_violation(string page, int width)
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(Sandboxes(page), token);
        await using var exporter = await ExporterProcess.StartAsync(Flags(page, runtime));
        await using var chromium = await HeadlessChromium.StartAsync();
        var tab = await chromium.OpenAsync(exporter.BaseAddress, width);

        var result = await tab.RunAxe(new AxeRunOptions
        {
            // WCAG 2.x A and AA (contrast, table headers, lang, names) and the best practices on landmarks and headings.
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        });

        Assert.True(result.Violations.Length == 0, string.Join('\n', result.Violations.Select(violation =>
            $"{violation.Id} ({violation.Impact}): {violation.Help}; at {string.Join(", ", violation.Nodes.Select(node => node.Target?.ToString()))}")));
        // It judged the page, not an empty document: these rules found something to check.
        Assert.All(["color-contrast", "landmark-one-main", "page-has-heading-one", "region", "th-has-data-cells", "html-has-lang"], rule =>
            Assert.Contains(result.Passes, passed => passed.Id == rule));
    }

    [Fact]
    public async Task The_copy_button_copies_a_fix_block_whole()
    {
        var token = TestContext.Current.CancellationToken;
        await using var runtime = await FakeCriRuntime.StartAsync(Sandboxes("findings"), token);
        await using var exporter = await ExporterProcess.StartAsync(Flags("findings", runtime));
        await using var chromium = await HeadlessChromium.StartAsync();
        var tab = await chromium.OpenAsync(exporter.BaseAddress, 390);
        await tab.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = exporter.BaseAddress.GetLeftPart(UriPartial.Authority) });
        // The surgical fix's block, whose long -D line wraps.
        var fix = tab.Locator("div.fix").Filter(new LocatorFilterOptions { HasText = "-D CNI-HOSTPORT-DNAT" }).First;
        var block = fix.Locator("pre.command");

        await fix.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Copy commands" }).ClickAsync();

        var copied = await tab.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(await block.TextContentAsync(), copied);
        Assert.Contains("\nsudo iptables-legacy -t nat -X CNI-DN-", copied, StringComparison.Ordinal);
    }

    /// <summary>
    /// "findings": the node after a MicroK8s stop/start (examples/after-stop-start: a stale winner on tcp/80 and tcp/443,
    /// its long surgical commands) whose runtime lists the old ingress pod stopped, without nf_conntrack. "healthy": one
    /// live claim, nf_conntrack loaded and listed for boot.
    /// </summary>
    private static FakeCriBehaviour Sandboxes(string page) => page == "findings"
        ? FakeCriBehaviour.Sandboxes(
            CriSandboxes.NotReady(ExampleSandboxes.OldIngress, "ingress", "nginx-ingress-microk8s-controller-4tq8z"),
            CriSandboxes.Ready(ExampleSandboxes.NewIngress, "ingress", "nginx-ingress-microk8s-controller-9xk2d"))
        : FakeCriBehaviour.Sandboxes(CriSandboxes.Ready(ExampleSandboxes.NewIngress, "ingress", "nginx-ingress-microk8s-controller-9xk2d"));

    private static string[] Flags(string page, FakeCriRuntime runtime) =>
    [
        Fixture.ExampleFlag(page == "findings" ? "after-stop-start.legacy-ipv4.txt" : "healthy.legacy-ipv4.txt"),
        .. Fixture.ConntrackFlags(page == "findings" ? "not-loaded" : "persistent-etc"),
        $"--cri.endpoint={runtime.Endpoint}",
        $"--node.name={Node}",
        // This machine's own nftables tables are not the example node's.
        "--no-collector.nftables_ipv4",
        "--no-collector.nftables_ipv6",
    ];
}

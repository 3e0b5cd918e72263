using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// The exporter only reads. In a namespace holding rules in every backend and family, thousands of scrapes and
/// repeated `check` runs must leave every table exactly as it was (rules, chains, policies), with packet counters
/// that only ever grow (our own HTTP traffic moves some; zeroing them would be a write), and the host files it
/// reads untouched.
/// </summary>
[Collection(HeavyReliabilityCollection.Name)]
public sealed partial class ReadOnlyPromiseTests
{
    private static int Scrapes => Environment.GetEnvironmentVariable("NFX_SOAK") == "1" ? 20_000 : 2_000;

    private static int CheckRuns => Environment.GetEnvironmentVariable("NFX_SOAK") == "1" ? 200 : 20;

    [Fact]
    public async Task Scrapes_and_check_runs_change_neither_netfilter_nor_the_files_they_read()
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        await ns.RestoreAsync("iptables-legacy-restore", Dumps.Example("after-stop-start.legacy-ipv4.txt"));
        await ns.RestoreAsync("iptables-nft-restore", Dumps.Example("after-stop-start.legacy-ipv4.txt"));
        await ns.RestoreAsync("ip6tables-legacy-restore", Dumps.Fixture("after-stop-start.legacy-ipv6.txt"));
        await ns.RestoreAsync("ip6tables-nft-restore", Dumps.Fixture("after-stop-start.legacy-ipv6.txt"));
        // portmap's nftables table too: the nftables collectors list it on every collection.
        (await ns.ExecAsync("nft", ["-j", "-f", NftablesListings.Path("v1.9-after-stop-start")])).EnsureSuccess("load portmap's nftables table");
        using var sandbox = FaultSandbox.Create();
        var node = sandbox.PathOf("node");
        (await TestCommand.RunAsync("cp", ["-a", Fixture.ConntrackNode("persistent-etc"), node])).EnsureSuccess("copy the fixture node");
        string[] hostFlags = [$"--path.procfs={node}/proc", $"--path.sysfs={node}/sys", $"--path.rootfs={node}/rootfs"];
        var tablesBefore = await SaveEverythingAsync(ns);
        var filesBefore = FileTree(node);

        await using (var exporter = await ExporterProcess.StartAsync([.. hostFlags, "--collector.min-interval=1ms"], ns))
        {
            var remaining = Scrapes;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    using var response = await exporter.Client.GetAsync(new Uri(exporter.BaseAddress, "metrics"));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }));
            Assert.Contains("hostport-dnat-duplicate", await exporter.GetStringAsync(""), StringComparison.Ordinal);
            var metrics = ScrapedMetrics.Parse(await exporter.GetStringAsync("metrics"));
            Assert.All(metrics.Find("netfilter_scrape_collector_success"), success => Assert.Equal("1", success.Value));
            // Four iptables tables, two nftables tables, conntrack; the runtime and MicroK8s have nothing to read here.
            Assert.Equal(7, metrics.Find("netfilter_scrape_collector_success").Count);
            Assert.Equal(2, metrics.Value("netfilter_hostport_dnat_rules", "backend=nftables", "port=80"));
        }
        for (var run = 0; run < CheckRuns; run++)
        {
            var check = await ns.ExecAsync(ExporterProcess.BinaryPath, ["check", .. hostFlags, run % 2 == 0 ? "--output=text" : "--output=json"]);
            Assert.True(check.ExitCode == 1, $"check exit {check.ExitCode}: {check.StandardError}");
        }

        var tablesAfter = await SaveEverythingAsync(ns);
        Assert.Equal(tablesBefore.Shape, tablesAfter.Shape);
        Assert.NotEmpty(tablesBefore.Counters);
        Assert.Equal(tablesBefore.Counters.Count, tablesAfter.Counters.Count);
        Assert.All(tablesBefore.Counters.Zip(tablesAfter.Counters), pair => Assert.True(pair.Second >= pair.First, $"a counter went from {pair.First} to {pair.Second}"));
        Assert.Equal(filesBefore, FileTree(node));
    }

    /// <summary>
    /// Every table of every backend and family (iptables-save -c) and the nftables ruleset: their text with the
    /// counters blanked, and the counters in order.
    /// </summary>
    private static async Task<(string Shape, IReadOnlyList<ulong> Counters)> SaveEverythingAsync(NetworkNamespace ns)
    {
        var saved = new StringBuilder();
        foreach (var command in new[] { "iptables-legacy-save", "iptables-nft-save", "ip6tables-legacy-save", "ip6tables-nft-save" })
        {
            var output = (await ns.ExecAsync(command, ["-c"])).EnsureSuccess(command).StandardOutput;
            saved.Append("== ").Append(command).Append('\n');
            foreach (var line in output.Split('\n').Where(line => !line.StartsWith('#')))
            {
                saved.Append(line).Append('\n');
            }
        }
        saved.Append("== nft list ruleset\n").Append((await ns.ExecAsync("nft", ["list", "ruleset"])).EnsureSuccess("nft list ruleset").StandardOutput);
        var text = saved.ToString();
        Assert.Contains("CNI-HOSTPORT-DNAT", text, StringComparison.Ordinal);
        var counters = Counters().Matches(text)
            .SelectMany(match => new[] { match.Groups["packets"].Value, match.Groups["bytes"].Value })
            .Select(number => ulong.Parse(number, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.NotEmpty(counters);
        return (Counters().Replace(text, "[counters]"), counters);
    }

    /// <summary>Path, kind, size, modification time and content hash of everything under <paramref name="root"/>.</summary>
    private static string FileTree(string root)
    {
        var tree = new StringBuilder();
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).OrderBy(entry => entry.FullName, StringComparer.Ordinal))
        {
            tree.Append(Path.GetRelativePath(root, entry.FullName)).Append(' ').Append(entry.LinkTarget ?? "").Append(' ')
                .Append(entry.LastWriteTimeUtc.Ticks).Append(' ').Append((int)entry.UnixFileMode);
            if (entry is FileInfo { LinkTarget: null } file)
            {
                tree.Append(' ').Append(file.Length).Append(' ').Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file.FullName))));
            }
            tree.Append('\n');
        }
        return tree.ToString();
    }

    /// <summary>iptables-save's [packets:bytes] and nft's "counter packets N bytes N".</summary>
    [GeneratedRegex(@"\[(?<packets>\d+):(?<bytes>\d+)\]|counter packets (?<packets>\d+) bytes (?<bytes>\d+)")]
    private static partial Regex Counters();
}

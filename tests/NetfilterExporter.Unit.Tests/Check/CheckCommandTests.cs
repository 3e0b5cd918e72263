using System.Text.Json;
using NetfilterExporter.Check;

namespace NetfilterExporter.Unit.Tests.Check;

public sealed class CheckCommandTests
{
    [Fact]
    public async Task A_healthy_node_exits_0()
    {
        var output = new StringWriter();

        var exit = await CheckCommand.RunAsync(Fixture.Options("persistent-etc", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")), output, CancellationToken.None);

        Assert.True(exit == 0, output.ToString());
        Assert.Contains("No findings: this node is healthy.", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicates_exit_1_naming_winner_shadowed_and_every_fix()
    {
        var output = new StringWriter();

        var exit = await CheckCommand.RunAsync(Fixture.Options("persistent-etc", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt")), output, CancellationToken.None);

        var text = output.ToString();
        Assert.Equal(1, exit);
        Assert.Contains("1. WINS     container 4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf", text, StringComparison.Ordinal);
        Assert.Contains("2. shadowed container d6437fe2be059268620ea6ecf9cbaa70fbce445e1a5358c974ceda661f4fda92", text, StringComparison.Ordinal);
        Assert.Contains("sudo iptables-legacy -t nat -D CNI-HOSTPORT-DNAT -p tcp -m comment --comment 'dnat name: \"k8s-pod-network\" id: \"4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf\"' -m multiport --dports 80,443 -j CNI-DN-5649e0ce7bb9710670939", text, StringComparison.Ordinal);
        Assert.Contains("sudo iptables-legacy -t nat -F CNI-HOSTPORT-DNAT", text, StringComparison.Ordinal);
        Assert.Contains("canonical/microk8s#4963", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_carries_claims_conntrack_and_findings_for_scripts()
    {
        var output = new StringWriter();

        var exit = await CheckCommand.RunAsync(Fixture.Options("not-loaded", "--output=json", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")), output, CancellationToken.None);

        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        Assert.Equal(1, exit);
        Assert.Equal(1, root.GetProperty("exitCode").GetInt32());
        Assert.False(root.GetProperty("conntrack").GetProperty("sysctlPresent").GetBoolean());
        var finding = Assert.Single(root.GetProperty("findings").EnumerateArray());
        Assert.Equal("conntrack-not-loaded", finding.GetProperty("id").GetString());
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.Contains("sudo netfilter-exporter fix --apply", finding.GetProperty("fixes")[0].GetProperty("commands").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("sudo modprobe nf_conntrack", finding.GetProperty("fixes")[1].GetProperty("commands").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(2, root.GetProperty("hostPorts").GetArrayLength());
    }

    /// <summary>Scripts switch on <c>status</c>: a fixed word per exit code, never a sentence (that is <c>statusText</c>).</summary>
    [Theory]
    [InlineData("persistent-etc", "healthy.legacy-ipv4.txt", "", 0, "healthy")]
    [InlineData("persistent-etc", "after-stop-start.legacy-ipv4.txt", "", 1, "findings")]
    [InlineData("persistent-etc", "healthy.legacy-ipv4.txt", "--iptables.save-command.nft-ipv4=/nonexistent/iptables-nft-save", 2, "unknown")]
    public async Task Json_status_is_a_fixed_word_for_each_outcome_under_schema_1(string node, string example, string extra, int expectedExit, string status)
    {
        var output = new StringWriter();
        string[] flags = extra.Length == 0
            ? ["--output=json", Fixture.ExampleFlag(example)]
            : ["--output=json", "--iptables.backends=nft", "--iptables.families=ipv4", extra];

        var exit = await CheckCommand.RunAsync(Fixture.Options(node, flags), output, CancellationToken.None);

        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal((expectedExit, 1, status), (exit, json.RootElement.GetProperty("schema").GetInt32(), json.RootElement.GetProperty("status").GetString()));
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("statusText").GetString()));
    }

    [Fact]
    public async Task Each_host_port_finding_lists_its_ports_with_the_alert_label_names()
    {
        var output = new StringWriter();

        await CheckCommand.RunAsync(Fixture.Options("persistent-etc", "--output=json", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt")), output, CancellationToken.None);

        using var json = JsonDocument.Parse(output.ToString());
        var duplicate = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray(), finding => finding.GetProperty("id").GetString() == "hostport-dnat-duplicate");
        var ports = duplicate.GetProperty("ports").EnumerateArray()
            .Select(port => (port.GetProperty("backend").GetString(), port.GetProperty("family").GetString(), port.GetProperty("protocol").GetString(), port.GetProperty("host_ip").GetString(), port.GetProperty("port").GetInt32()))
            .ToList();
        Assert.Equal([("legacy", "ipv4", "tcp", "any", 80), ("legacy", "ipv4", "tcp", "any", 443)], ports);
        var conntrackPorts = json.RootElement.GetProperty("findings").EnumerateArray()
            .Where(finding => finding.GetProperty("id").GetString()!.StartsWith("conntrack-", StringComparison.Ordinal))
            .Select(finding => finding.GetProperty("ports").GetArrayLength());
        Assert.All(conntrackPorts, count => Assert.Equal(0, count));
    }

    /// <summary>
    /// At night the reader must see which fixes are a choice and which are steps: alternatives lettered under "Fix (pick
    /// one)", the surgical one first, steps numbered under "Fix, in order", prevention last; every id filled in.
    /// </summary>
    [Fact]
    public async Task Text_offers_the_fixes_as_a_choice_then_prevention_with_the_ids_filled_in()
    {
        var duplicate = new StringWriter();
        var notLoaded = new StringWriter();

        await CheckCommand.RunAsync(Fixture.Options("persistent-etc", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt"), "--cri.endpoint=none"), duplicate, CancellationToken.None);
        await CheckCommand.RunAsync(Fixture.Options("not-loaded", Fixture.ExampleFlag("healthy.legacy-ipv4.txt"), "--cri.endpoint=none"), notLoaded, CancellationToken.None);

        var text = duplicate.ToString();
        var pick = text.IndexOf("  Fix (pick one):\n    a) Surgical, keeps running pods: first confirm the winning container is gone (sudo microk8s ctr --namespace k8s.io containers info 4b42590d177e8116d1fd471bbc720e9491abd9163a1509fd7252af646e803cbf must fail)", StringComparison.Ordinal);
        var documented = text.IndexOf("    b) Documented fix:", StringComparison.Ordinal);
        var prevent = text.IndexOf("  Prevent it: Upgrade to a MicroK8s revision", StringComparison.Ordinal);
        Assert.True(pick >= 0 && pick < documented && documented < prevent, text);
        Assert.DoesNotContain("<id>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("  Fix: ", text[..prevent], StringComparison.Ordinal);
        Assert.Contains(
            "  Fix (pick one):\n    a) Let netfilter-exporter load it now and list it for boot, then restart kubelite, which fix never does:",
            notLoaded.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"       sudo netfilter-exporter fix --apply\n       sudo snap restart microk8s.daemon-kubelite\n    b\) By hand: load it now, make it load at every boot, then restart kubelite:\n       sudo modprobe nf_conntrack\n       echo nf_conntrack \| sudo tee /etc/modules-load.d/nf_conntrack.conf\n       sudo snap restart microk8s.daemon-kubelite\n", notLoaded.ToString());
    }

    [Fact]
    public async Task A_failed_collector_without_findings_exits_2()
    {
        var output = new StringWriter();

        var exit = await CheckCommand.RunAsync(Fixture.Options("persistent-etc", "--iptables.backends=nft", "--iptables.families=ipv4",
            "--iptables.save-command.nft-ipv4=/nonexistent/iptables-nft-save"), output, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("iptables_nft_ipv4      FAILED", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("could not collect", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("loaded-not-persistent", "conntrack-not-persistent")]
    [InlineData("blacklist-line", "conntrack-blacklisted")]
    public async Task Conntrack_findings_name_their_fix(string node, string findingId)
    {
        var output = new StringWriter();

        var exit = await CheckCommand.RunAsync(Fixture.Options(node, Fixture.ExampleFlag("healthy.legacy-ipv4.txt")), output, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("WARNING " + findingId, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listed_but_blacklisted_is_reported_as_blacklisted_only()
    {
        var output = new StringWriter();

        await CheckCommand.RunAsync(Fixture.Options("blacklist-line", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")), output, CancellationToken.None);

        Assert.Contains("WARNING conntrack-blacklisted", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("conntrack-not-persistent", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mixed_backends_are_compared_per_family_with_each_familys_binaries()
    {
        var healthy4 = TestSupport.RepositoryPaths.Combine("examples", "healthy.legacy-ipv4.txt");
        var healthy6 = TestSupport.RepositoryPaths.Combine("tests", "Fixtures", "dumps", "healthy.legacy-ipv6.txt");
        var separate = new StringWriter();
        var mixed = new StringWriter();

        var separateExit = await CheckCommand.RunAsync(Fixture.Options("persistent-etc",
            $"--iptables.from-file=legacy,ipv4={healthy4}", $"--iptables.from-file=nft,ipv6={healthy6}"), separate, CancellationToken.None);
        var mixedExit = await CheckCommand.RunAsync(Fixture.Options("persistent-etc",
            $"--iptables.from-file=legacy,ipv6={healthy6}", $"--iptables.from-file=nft,ipv6={healthy6}"), mixed, CancellationToken.None);

        Assert.Equal(0, separateExit);
        Assert.Equal(1, mixedExit);
        Assert.Contains("sudo ip6tables-legacy-save -t nat", mixed.ToString(), StringComparison.Ordinal);
        Assert.Contains("sudo ip6tables-nft-save -t nat", mixed.ToString(), StringComparison.Ordinal);
    }
}

using System.Text.Json;
using NetfilterExporter.Check;
using NetfilterExporter.Collection;
using NetfilterExporter.Configuration;
using NetfilterExporter.Sources;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Sources;

/// <summary>The registration table: its names, the --[no-]collector.&lt;name&gt; flags made from it, and what they switch.</summary>
public sealed class SourceTableTests
{
    private static ExporterOptions Parse(params string[] arguments) => ParseWith(_ => null, arguments);

    private static ExporterOptions ParseWith(Func<string, string?> environment, params string[] arguments) =>
        CommandLine.Parse(arguments, checkMode: false, environment, SourceTable.Flags);

    [Fact]
    public void The_table_names_every_collector_once_with_the_collector_label_of_the_contract()
    {
        Assert.Equal(
            ["iptables_legacy_ipv4", "iptables_legacy_ipv6", "iptables_nft_ipv4", "iptables_nft_ipv6", "iptables", "nftables_ipv4", "nftables_ipv6", "cri", "conntrack", "microk8s"],
            SourceTable.Collectors.Select(collector => collector.Name));
        Assert.All(SourceTable.Collectors, collector => Assert.True(collector.EnabledByDefault, collector.Name));
        // The stand-in only speaks for the four tables: switching it alone would silence their alert, not a source.
        Assert.Equal(SourceTable.Collectors.Select(collector => collector.Name).Where(name => name != "iptables"), SourceTable.Flags.Select(flag => flag.Name));
    }

    [Theory]
    [InlineData("--collector.cri", "cri", true)]
    [InlineData("--no-collector.conntrack", "conntrack", false)]
    [InlineData("--collector.iptables_nft_ipv6=false", "iptables_nft_ipv6", false)]
    public void Each_collector_gets_a_switch_from_the_table(string flag, string collector, bool on)
    {
        var options = Parse(flag);

        Assert.Equal(new Dictionary<string, bool> { [collector] = on }, options.CollectorSwitches);
    }

    [Fact]
    public void A_collector_switch_is_also_an_environment_variable()
    {
        var options = ParseWith(name => name == "NETFILTER_EXPORTER_COLLECTOR_CONNTRACK" ? "false" : null);

        Assert.False(options.CollectorSwitches["conntrack"]);
        Assert.DoesNotContain("conntrack", CollectorSelection.Enabled(SourceTable.Collectors, options));
    }

    [Theory]
    [InlineData("--collector.ntfables_ipv4", "unknown flag --collector.ntfables_ipv4")]
    [InlineData("--no-collector.timeout", "unknown flag --no-collector.timeout")]
    [InlineData("--collector.cri=maybe", "--collector.cri is true or false")]
    [InlineData("--no-collector.iptables", "unknown flag --no-collector.iptables")]
    public void A_collector_flag_the_table_does_not_know_is_a_usage_error(string flag, string message)
    {
        var error = Assert.Throws<UsageException>(() => Parse(flag));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--no-collector.cri contradicts --cri.endpoint=unix:///run/containerd/containerd.sock", "--no-collector.cri", "--cri.endpoint=unix:///run/containerd/containerd.sock")]
    [InlineData("--collector.cri contradicts --cri.endpoint=none", "--collector.cri", "--cri.endpoint=none")]
    [InlineData("--collector.iptables_nft_ipv4 contradicts --iptables.backends, which leaves out nft", "--collector.iptables_nft_ipv4", "--iptables.backends=legacy")]
    [InlineData("--collector.iptables_legacy_ipv6 contradicts --iptables.families, which leaves out ipv6", "--collector.iptables_legacy_ipv6", "--iptables.families=ipv4")]
    [InlineData("--no-collector.iptables_legacy_ipv4 contradicts --iptables.save-command.legacy-ipv4=/usr/sbin/iptables-legacy-save", "--no-collector.iptables_legacy_ipv4", "--iptables.save-command.legacy-ipv4=/usr/sbin/iptables-legacy-save")]
    [InlineData("--collector.iptables_nft_ipv4 contradicts --iptables.from-file, which gives no nft/ipv4 dump", "--collector.iptables_nft_ipv4", "--iptables.from-file=legacy,ipv4=examples/healthy.legacy-ipv4.txt")]
    [InlineData("--no-collector.iptables_legacy_ipv4 contradicts --iptables.from-file=examples/healthy.legacy-ipv4.txt", "--no-collector.iptables_legacy_ipv4", "--iptables.from-file=legacy,ipv4=examples/healthy.legacy-ipv4.txt")]
    [InlineData("--collector.disable-defaults switches cri off, which contradicts --cri.endpoint=unix:///run/containerd/containerd.sock; add --collector.cri", "--collector.disable-defaults", "--cri.endpoint=unix:///run/containerd/containerd.sock")]
    [InlineData("--collector.disable-defaults switches iptables_legacy_ipv4 off, which contradicts --iptables.from-file=examples/healthy.legacy-ipv4.txt; add --collector.iptables_legacy_ipv4", "--collector.disable-defaults", "--collector.conntrack", "--iptables.from-file=legacy,ipv4=examples/healthy.legacy-ipv4.txt")]
    public void Flags_that_contradict_each_other_are_a_usage_error(string message, params string[] flags)
    {
        var options = Parse(flags);

        var error = Assert.Throws<UsageException>(() => CollectorSelection.Enabled(SourceTable.Collectors, options));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_saved_dump_is_read_whatever_backends_and_families_say()
    {
        var options = Parse("--collector.iptables_nft_ipv6", "--iptables.families=ipv4", "--iptables.backends=legacy", "--iptables.from-file=nft,ipv6=examples/healthy.legacy-ipv4.txt");

        Assert.Contains("iptables_nft_ipv6", CollectorSelection.Enabled(SourceTable.Collectors, options));
    }

    [Fact]
    public void Switches_that_agree_with_the_other_flags_are_accepted()
    {
        var options = Parse("--collector.cri", "--cri.endpoint=unix:///run/containerd/containerd.sock", "--no-collector.iptables_nft_ipv4", "--iptables.backends=legacy,nft");

        var enabled = CollectorSelection.Enabled(SourceTable.Collectors, options);

        Assert.Contains("cri", enabled);
        Assert.DoesNotContain("iptables_nft_ipv4", enabled);
        Assert.Contains("iptables_nft_ipv6", enabled);
    }

    [Fact]
    public async Task A_collector_switched_off_is_not_run_and_its_part_is_empty()
    {
        var output = new StringWriter();
        var options = CommandLine.Parse(
            [.. Fixture.ConntrackFlags("not-loaded"), "--output=json", "--no-collector.conntrack", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")], checkMode: true, _ => null, SourceTable.Flags);

        var exit = await CheckCommand.RunAsync(options, output, CancellationToken.None);

        // The not-loaded node would be a critical finding; switched off, nothing reads it.
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal(["iptables_legacy_ipv4"], json.RootElement.GetProperty("collectors").EnumerateArray().Select(collector => collector.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("conntrack").ValueKind);
    }

    [Fact]
    public async Task Disable_defaults_runs_only_the_collectors_named()
    {
        var output = new StringWriter();
        var options = CommandLine.Parse(
            [.. Fixture.ConntrackFlags("persistent-etc"), "--output=json", "--collector.disable-defaults", "--collector.conntrack"],
            checkMode: true, _ => null, SourceTable.Flags);

        var exit = await CheckCommand.RunAsync(options, output, CancellationToken.None);

        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal(["conntrack"], json.RootElement.GetProperty("collectors").EnumerateArray().Select(collector => collector.GetProperty("name").GetString()));
        // No nat table read is "could not collect", never "healthy".
        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task The_runtime_asked_for_by_name_fails_when_auto_finds_no_socket()
    {
        using var emptyRoot = new TemporaryDirectory("nfx-source-table");
        var assessor = SourceTable.Assessor(
            CommandLine.Parse(["--path.rootfs=" + emptyRoot.Path, "--collector.cri", Fixture.ExampleFlag("healthy.legacy-ipv4.txt")], false, _ => null, SourceTable.Flags),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);

        var assessment = await assessor.AssessAsync(CancellationToken.None);

        var cri = Assert.Single(assessment.Collectors, collector => collector.Name == "cri");
        Assert.False(cri.Success);
        Assert.StartsWith("no container runtime socket found under --path.rootfs", cri.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_switch_auto_with_no_socket_leaves_the_runtime_out()
    {
        using var emptyRoot = new TemporaryDirectory("nfx-source-table");
        var assessor = SourceTable.Assessor(
            CommandLine.Parse(["--path.rootfs=" + emptyRoot.Path, "--cri.endpoint=auto", "--iptables.backends=auto"], false, _ => null, SourceTable.Flags),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);

        Assert.DoesNotContain(assessor.Collector.Current(), collector => collector.Name == "cri");
        Assert.NotEmpty(assessor.Collector.Current());
    }

    [Fact]
    public void Help_lists_every_collector_switch_from_the_table()
    {
        var commandLine = new CommandLine(_ => null, SourceTable.Flags);
        // Wide enough that no entry wraps, so each reads as one line.
        var help = HelpText.Render(commandLine, commandLine.Root, width: 500);

        Assert.Equal(
            ["iptables_legacy_ipv4", "iptables_legacy_ipv6", "iptables_nft_ipv4", "iptables_nft_ipv6", "nftables_ipv4", "nftables_ipv6", "cri", "conntrack", "microk8s"],
            SourceTable.Flags.Select(collector => collector.Name));
        Assert.All(SourceTable.Flags, collector =>
        {
            Assert.Contains($"\n  --[no-]collector.{collector.Name}\n", help, StringComparison.Ordinal);
            Assert.Contains($"      Default: enabled. Environment: NETFILTER_EXPORTER_COLLECTOR_{collector.Name.ToUpperInvariant()}.\n", help, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("collector.iptables\n", help, StringComparison.Ordinal);
        Assert.Contains("--[no-]collector.disable-defaults", help, StringComparison.Ordinal);
    }

}

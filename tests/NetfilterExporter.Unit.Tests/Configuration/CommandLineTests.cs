using NetfilterExporter.Configuration;
using NetfilterExporter.Host;
using NetfilterExporter.Iptables;
using NetfilterExporter.Sources;

namespace NetfilterExporter.Unit.Tests.Configuration;

public sealed class CommandLineTests
{
    private static ExporterOptions Parse(params string[] arguments) => CommandLine.Parse(arguments, checkMode: false, _ => null);

    [Fact]
    public void Defaults_follow_the_design()
    {
        var options = Parse();

        Assert.Equal([":10066"], options.ListenAddresses);
        Assert.Equal("/metrics", options.TelemetryPath);
        Assert.Equal(TimeSpan.FromSeconds(10), options.CollectorTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.MinInterval);
        Assert.True(options.AutoBackends);
        Assert.Equal(4, options.RuleSources.Count);
        Assert.Equal("/proc", options.HostPaths.ProcFs);
        Assert.Equal("/", options.HostPaths.RootFs);
        Assert.Equal(40, options.MaxRequests);
    }

    [Fact]
    public void Reads_both_flag_spellings_repeatable_flags_and_durations()
    {
        var options = Parse("--web.listen-address=127.0.0.1:1", "--web.listen-address", "[::1]:2", "--collector.timeout=1m30s",
            "--collector.min-interval", "500ms", "--iptables.backends=legacy", "--iptables.families=ipv6", "--path.procfs=/host/proc");

        Assert.Equal(["127.0.0.1:1", "[::1]:2"], options.ListenAddresses);
        Assert.Equal(TimeSpan.FromSeconds(90), options.CollectorTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.MinInterval);
        Assert.False(options.AutoBackends);
        Assert.Equal([new RuleSource(IptablesBackend.Legacy, IpFamily.IPv6)], options.RuleSources);
        Assert.Equal("/host/proc", options.HostPaths.ProcFs);
    }

    [Fact]
    public void Min_interval_zero_means_collect_on_every_scrape()
    {
        Assert.Equal(TimeSpan.Zero, Parse("--collector.min-interval=0s").MinInterval);
        Assert.Equal(TimeSpan.Zero, Parse("--collector.min-interval", "0").MinInterval);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true, "--web.systemd-socket")]
    [InlineData(true, "--web.systemd-socket=true")]
    [InlineData(false, "--no-web.systemd-socket")]
    [InlineData(false, "--web.systemd-socket=false")]
    public void The_systemd_socket_switch_reads_like_kingpin(bool expected, params string[] arguments)
    {
        Assert.Equal(expected, Parse(arguments).SystemdSocket);
    }

    [Fact]
    public void A_switch_does_not_swallow_the_next_flag()
    {
        var options = Parse("--web.systemd-socket", "--web.telemetry-path", "/m");

        Assert.True(options.SystemdSocket);
        Assert.Equal("/m", options.TelemetryPath);
    }

    [Fact]
    public void Environment_fills_in_what_flags_do_not_give()
    {
        var environment = new Dictionary<string, string>
        {
            ["NETFILTER_EXPORTER_PATH_ROOTFS"] = "/host/root",
            ["NETFILTER_EXPORTER_COLLECTOR_TIMEOUT"] = "3s",
        };
        var options = CommandLine.Parse(["--collector.timeout=4s"], false, name => environment.GetValueOrDefault(name));

        Assert.Equal("/host/root", options.HostPaths.RootFs);
        Assert.Equal(TimeSpan.FromSeconds(4), options.CollectorTimeout);
    }

    [Theory]
    [InlineData("--no-such-flag=1", "unknown flag --no-such-flag")]
    [InlineData("--collector.timeout=10", "not a duration")]
    [InlineData("--iptables.backends=iptables", "unknown backend 'iptables'")]
    [InlineData("--iptables.families=ipv5", "unknown family 'ipv5'")]
    [InlineData("--web.listen-address=example.com:80", "not an IP address")]
    [InlineData("--web.listen-address=10066", "not HOST:PORT")]
    [InlineData("--log.level=verbose", "--log.level")]
    [InlineData("--output=json", "flag of the check command")]
    [InlineData("--web.telemetry-path=/", "--web.telemetry-path")]
    [InlineData("--web.telemetry-path=/HEALTHZ", "--web.telemetry-path")]
    [InlineData("--web.telemetry-path=/healthz/", "--web.telemetry-path")]
    [InlineData("--web.telemetry-path=//", "--web.telemetry-path")]
    [InlineData("stray", "unexpected argument 'stray'")]
    [InlineData("--path.sysfs", "needs a value")]
    [InlineData("--collector.min-interval=-1s", "not a duration such as 0s")]
    [InlineData("--collector.timeout=0s", "not a duration above zero")]
    [InlineData("--web.systemd-socket=yes", "--web.systemd-socket is true or false")]
    [InlineData("--no-web.listen-address", "unknown flag --no-web.listen-address")]
    [InlineData("--no-web.systemd-socket=false", "unknown flag --no-web.systemd-socket")]
    public void Rejects_bad_flags_with_a_message_naming_them(string argument, string message)
    {
        var error = Assert.Throws<UsageException>(() => Parse(argument));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_single_value_flag_given_twice()
    {
        Assert.Throws<UsageException>(() => Parse("--path.procfs=/a", "--path.procfs=/b"));
    }

    [Fact]
    public void From_file_takes_backend_and_family_from_the_prefix_or_the_header()
    {
        var explicitSpec = DumpFileSpec.Parse("nft,ipv6=/nonexistent/dump.txt");
        var fromHeader = DumpFileSpec.Parse(TestSupport.RepositoryPaths.Combine("tests", "Fixtures", "dumps", "healthy.legacy-ipv6.txt"));

        Assert.Equal(new RuleSource(IptablesBackend.Nft, IpFamily.IPv6), explicitSpec.Source);
        Assert.Equal("/nonexistent/dump.txt", explicitSpec.Path);
        Assert.Equal(new RuleSource(IptablesBackend.Legacy, IpFamily.IPv6), fromHeader.Source);
        Assert.Throws<UsageException>(() => DumpFileSpec.Parse("/nonexistent/dump.txt"));
    }

    [Fact]
    public void A_backend_and_family_read_twice_is_refused_so_no_series_can_be_written_twice()
    {
        // Each backend and family is one collector and one set of label values; prometheus-net would merge a
        // second set silently instead of refusing it.
        var error = Assert.Throws<UsageException>(() => Parse("--iptables.from-file=legacy,ipv4=/a.txt", "--iptables.from-file=legacy,ipv4=/b.txt"));

        Assert.Contains("/a.txt and /b.txt are both legacy/ipv4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown flag --web.listen-adress; did you mean --web.listen-address?", "--web.listen-adress=:1")]
    [InlineData("unknown flag --web.listen-adress; did you mean --web.listen-address?", "--web.listen-adress", ":1")]
    [InlineData("unknown flag --no-colector.cri; did you mean --no-collector.cri?", "--no-colector.cri")]
    [InlineData("unknown flag --outptu; did you mean --output?", "check", "--outptu=json")]
    [InlineData("unknown flag --no-such-flag (see --help)", "--no-such-flag=1")]
    [InlineData("unexpected argument 'chek'; did you mean check? (flags start with --; see --help)", "chek")]
    public void An_unknown_flag_or_command_names_the_nearest_one(string message, params string[] arguments)
    {
        var commandLine = new CommandLine(_ => null, SourceTable.Flags);

        Assert.Equal(message, UsageError.Of(commandLine, commandLine.Parse(arguments)));
    }

    [Theory]
    [InlineData("flag --web.systemd-socket given more than once", "--web.systemd-socket", "--no-web.systemd-socket")]
    [InlineData("flag --no-web.systemd-socket given more than once", "--no-web.systemd-socket", "--no-web.systemd-socket")]
    [InlineData("flag --collector.cri given more than once", "--collector.cri", "--collector.cri=false")]
    [InlineData("flag --path.procfs needs a value", "--path.procfs", "--web.systemd-socket")]
    [InlineData("flag --web.listen-address needs a value", "--web.listen-address=:1", "--web.listen-address")]
    [InlineData("unexpected argument ':2' (flags start with --; see --help)", "--web.listen-address", ":1", ":2")]
    [InlineData("help: no command 'serve' (the commands are check, fix and help)", "help", "serve")]
    public void A_flag_given_twice_or_without_its_value_is_refused(string message, params string[] arguments)
    {
        var commandLine = new CommandLine(_ => null, SourceTable.Flags);

        Assert.Equal(message, UsageError.Of(commandLine, commandLine.Parse(arguments)));
    }

    [Fact]
    public void A_bad_value_from_the_environment_names_the_variable()
    {
        var error = Assert.Throws<UsageException>(() => CommandLine.Parse([], false, name => name == "NETFILTER_EXPORTER_COLLECTOR_TIMEOUT" ? "10" : null));

        Assert.Equal("--collector.timeout: '10' is not a duration above zero such as 500ms, 10s or 1m (from NETFILTER_EXPORTER_COLLECTOR_TIMEOUT)", error.Message);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void A_switch_reads_its_environment_variable_and_the_command_line_wins(string fromEnvironment, bool expected)
    {
        Func<string, string?> environment = name => name == "NETFILTER_EXPORTER_WEB_SYSTEMD_SOCKET" ? fromEnvironment : null;

        Assert.Equal(expected, CommandLine.Parse([], false, environment).SystemdSocket);
        Assert.Equal(!expected, CommandLine.Parse([expected ? "--no-web.systemd-socket" : "--web.systemd-socket"], false, environment).SystemdSocket);
        Assert.Contains("(from NETFILTER_EXPORTER_WEB_SYSTEMD_SOCKET)", Assert.Throws<UsageException>(() => CommandLine.Parse([], false, name => name == "NETFILTER_EXPORTER_WEB_SYSTEMD_SOCKET" ? "yes" : null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_takes_output_and_every_flag_of_the_server()
    {
        var options = CommandLine.Parse(["--output=json", "--path.rootfs=/host", "--collector.min-interval=0s"], true, _ => null);

        Assert.Equal(OutputFormat.Json, options.Output);
        Assert.Equal("/host", options.HostPaths.RootFs);
        Assert.Equal(OutputFormat.Text, CommandLine.Parse([], true, _ => null).Output);
    }

    /// <summary>Only `fix --apply` changes the node: the flag exists on fix alone, and no environment variable gives it.</summary>
    [Fact]
    public async Task Apply_is_a_flag_of_fix_alone_and_only_on_the_command_line()
    {
        bool? applied = null;
        var commandLine = new CommandLine(name => name.StartsWith("NETFILTER_EXPORTER_", StringComparison.Ordinal) && name.EndsWith("APPLY", StringComparison.Ordinal) ? "true" : null,
            SourceTable.Flags, fix: (_, apply) =>
            {
                applied = apply;
                return Task.FromResult(0);
            });

        await commandLine.Parse(["fix"]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.False(applied);
        await commandLine.Parse(["fix", "--apply", "--path.rootfs=/host"]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(applied);
        Assert.Equal("--apply is a flag of the fix command", UsageError.Of(commandLine, commandLine.Parse(["--apply"])));
        Assert.Equal("--apply is a flag of the fix command", UsageError.Of(commandLine, commandLine.Parse(["check", "--apply"])));
        Assert.Equal("--output is a flag of the check command", UsageError.Of(commandLine, commandLine.Parse(["fix", "--output=json"])));
    }

    [Fact]
    public void A_value_starting_with_an_at_sign_is_a_value_not_a_response_file()
    {
        Assert.Equal("@edge", CommandLine.Parse(["--node.name=@edge"], false, _ => null).NodeName);
    }
}

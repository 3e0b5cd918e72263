using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Check;

/// <summary>The real binary's command line: exit codes a script or a unit file can rely on.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task An_unknown_flag_is_a_clear_error_with_exit_code_2()
    {
        var result = await TestCommand.RunAsync(ExporterProcess.BinaryPath, ["--web.listen-adress=:1"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("netfilter-exporter: unknown flag --web.listen-adress; did you mean --web.listen-address?\n", result.StandardError);
        Assert.Empty(result.StandardOutput);
    }

    /// <summary>
    /// The shipped (AOT) binary still carries the version and the revision: the same as the JIT build of the same
    /// build run (which cannot go stale if a commit lands while the tests run), and a commit of this checkout.
    /// </summary>
    [Fact]
    public async Task Version_names_the_project_version_and_a_commit_of_the_checkout()
    {
        var build = NetfilterExporter.Instrumentation.BuildInfo.FromAssembly();

        var result = await TestCommand.RunAsync(ExporterProcess.BinaryPath, ["--version"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"netfilter-exporter {build.Version} (revision {build.Revision}, .NET {Environment.Version})\n", result.StandardOutput);
        Assert.Matches("^[0-9a-f]{40}$", build.Revision);
        var commit = await TestCommand.RunAsync(Prerequisites.RequireCommand("git", "git"), ["-C", RepositoryPaths.Root, "cat-file", "-e", build.Revision + "^{commit}"]);
        Assert.True(commit.ExitCode == 0, $"{build.Revision} is not a commit of {RepositoryPaths.Root}: {commit.StandardError}");
    }

    [Fact]
    public async Task An_address_the_node_does_not_have_exits_1_with_one_line()
    {
        // 192.0.2.10 (RFC 5737) is the docs' example node address; this machine does not have it.
        var result = await TestCommand.RunAsync(ExporterProcess.BinaryPath,
            ["--web.listen-address=192.0.2.10:10066", "--iptables.from-file=" + RepositoryPaths.Combine("examples", "healthy.legacy-ipv4.txt")],
            timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("netfilter-exporter: cannot listen on 192.0.2.10:10066: ", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_flag_within_80_columns_in_a_pipe_and_exits_0()
    {
        var result = await TestCommand.RunAsync(ExporterProcess.BinaryPath, ["--help"]);
        var help = await TestCommand.RunAsync(ExporterProcess.BinaryPath, ["help"]);
        var checkHelp = await TestCommand.RunAsync(ExporterProcess.BinaryPath, ["check", "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--iptables.from-file", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("NETFILTER_EXPORTER_PATH_ROOTFS", result.StandardOutput, StringComparison.Ordinal);
        Assert.All(result.StandardOutput.Split('\n'), line => Assert.True(line.Length <= 80, line));
        Assert.Contains(result.StandardOutput.Split('\n'), line => line.Length > 70);
        Assert.Equal(0, help.ExitCode);
        Assert.Equal(result.StandardOutput, help.StandardOutput);
        Assert.Equal(0, checkHelp.ExitCode);
        Assert.NotEqual(result.StandardOutput, checkHelp.StandardOutput);
        Assert.Contains("\n  --output=VALUE\n", checkHelp.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>On a terminal the help takes the terminal's width: a pseudo-terminal of 120 columns, made by script(1).</summary>
    [Fact]
    public async Task Help_on_a_terminal_wraps_to_its_width()
    {
        var script = Prerequisites.RequireCommand("script", "bsdutils");

        var result = await TestCommand.RunAsync(script, ["-qec", $"stty cols 120; '{ExporterProcess.BinaryPath}' --help", "/dev/null"]);

        Assert.Equal(0, result.ExitCode);
        // The terminal ends its lines with \r\n.
        var lines = result.StandardOutput.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= 120, line));
        Assert.Contains(lines, line => line.Length > 80);
    }

    [Fact]
    public async Task Check_on_the_examples_exits_1_then_0()
    {
        var broken = await TestCommand.RunAsync(ExporterProcess.BinaryPath,
            ["check", $"--iptables.from-file={RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt")}", .. Fixture.ConntrackFlags("persistent-etc")]);
        var healthy = await TestCommand.RunAsync(ExporterProcess.BinaryPath,
            ["check", $"--iptables.from-file={RepositoryPaths.Combine("examples", "healthy.legacy-ipv4.txt")}", .. Fixture.ConntrackFlags("persistent-etc")]);

        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("CRITICAL hostport-dnat-duplicate", broken.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, healthy.ExitCode);
    }

    [Fact]
    public async Task Check_without_any_iptables_save_command_cannot_call_the_node_healthy()
    {
        Prerequisites.RequireRoot();
        using var hidden = new HiddenSaveCommands();

        var result = await TestCommand.RunAsync(hidden.Wrapper[0], [.. hidden.Wrapper.Skip(1), ExporterProcess.BinaryPath, "check", .. Fixture.ConntrackFlags("persistent-etc")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no iptables save command found", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_binary_refuses_contradicting_flags_in_the_server_and_in_check()
    {
        string[] flags = ["--no-collector.cri", "--cri.endpoint=unix:///run/containerd/containerd.sock"];
        foreach (var arguments in new[] { flags, ["check", .. flags] })
        {
            var result = await TestCommand.RunAsync(ExporterProcess.BinaryPath, arguments);

            Assert.Equal(2, result.ExitCode);
            Assert.Equal("netfilter-exporter: --no-collector.cri contradicts --cri.endpoint=unix:///run/containerd/containerd.sock\n", result.StandardError);
        }
    }
}

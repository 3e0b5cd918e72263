using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Check;

/// <summary>`check` as the shipped binary prints it in a terminal, stdout and stderr together.</summary>
public sealed class CheckTextProcessTests
{
    [Fact]
    public async Task A_collector_error_is_printed_once_across_stdout_and_stderr()
    {
        var node = Fixture.ConntrackNode("persistent-etc");
        // A rootfs without etc: the conntrack collector fails, the host ports are still read.
        var result = await TestCommand.RunAsync(ExporterProcess.BinaryPath,
            ["check", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt"), $"--path.procfs={node}/proc", $"--path.sysfs={node}/sys", $"--path.rootfs={node}"]);

        Assert.Equal(1, result.ExitCode);
        const string error = "has no etc: is the flag pointing at the right mount?";
        var printed = result.StandardOutput + result.StandardError;
        Assert.Equal(1, printed.Split(error).Length - 1);
        Assert.Contains("  conntrack              FAILED ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saved_dump_is_named_as_a_file_and_the_rest_as_this_machine()
    {
        var dump = RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt");

        var result = await TestCommand.RunAsync(ExporterProcess.BinaryPath, ["check", "--iptables.from-file=" + dump, .. Fixture.ConntrackFlags("persistent-etc")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"  iptables_legacy_ipv4   ok ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"  file {dump}\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"  this machine: procfs {Fixture.ConntrackNode("persistent-etc")}/proc,", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\nnf_conntrack on this machine: loaded ", result.StandardOutput, StringComparison.Ordinal);
        // A saved dump is not judged by this machine's runtime, and the reader is told why every claim is unknown.
        Assert.Contains("The container runtime was not asked (", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", result.StandardError);
    }
}

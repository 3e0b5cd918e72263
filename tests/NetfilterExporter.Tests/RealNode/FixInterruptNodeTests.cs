using System.Globalization;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.RealNode;

/// <summary>
/// Ctrl-C at a terminal, or SIGTERM, while `fix --apply` runs a table's transaction, on a real node of each set of
/// parts: the terminal signals the whole foreground process group, so the transaction's program would die with fix
/// unless fix runs it in a session of its own; SIGTERM would end fix at once unless it takes it as an interrupt. The
/// transaction must finish, fix must say it was applied, and exit 130.
/// </summary>
[Collection(RealNodeCollection.Name)]
public sealed class FixInterruptNodeTests
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Each set of parts, with Ctrl-C at a terminal (SIGINT to fix's process group) and `kill` or a service manager (SIGTERM to fix alone).</summary>
    public static TheoryData<string, bool> PartsAndSignals()
    {
        var data = new TheoryData<string, bool>();
        foreach (var parts in NodeParts.Names)
        {
            data.Add(parts, true);
            data.Add(parts, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PartsAndSignals))]
    public async Task An_interrupt_during_the_transaction_lets_it_finish_and_fix_says_it_was_applied(string parts, bool ctrlC)
    {
        var token = TestContext.Current.CancellationToken;
        var setsid = Prerequisites.RequireCommand("setsid", "util-linux");
        var shell = Prerequisites.RequireCommand("sh", "dash");
        await using var node = await NodePartsData.StartNodeAsync(parts, token);
        var (old, _) = await FixStory.StopAndStartAsync(node, token);
        var transaction = node.Parts.IsNftables ? new ProgramPause("nft", "-f -", 1) : new ProgramPause("iptables-legacy-restore", "--noflush --wait=5", 1);
        await using var wrappers = await ProgramWrappers.CreateAsync(node.PrivateDirectory, node.NodePath, FixStory.Programs, transaction, token);
        var log = Path.Combine(node.PrivateDirectory, "fix.stderr");

        // fix as a terminal runs a foreground job: a process group of its own (setsid execs fix, so its id is the group's).
        // Its standard error goes to a file, so the test sees the interrupt taken before it lets the transaction go on.
        var fix = node.RunAsync(
            shell, ["-c", "exec \"$@\" 2>\"$0\"", log, setsid, "--wait", ExporterProcess.BinaryPath, "fix", "--apply", .. FixStory.Flags(node)],
            timeout: TimeSpan.FromMinutes(3), cancellationToken: token, firstOnPath: wrappers.Directory);
        CommandResult interrupted;
        try
        {
            await wrappers.WaitUntilPausedAsync(fix, TimeSpan.FromMinutes(1), token);
            var fixProcess = wrappers.ParentOf(wrappers.PausedCall()!.Value);
            Assert.Equal(fixProcess, GroupOf(fixProcess));
            Assert.True(
                ctrlC ? ProcessSignal.SendToGroup(fixProcess, ProcessSignal.Interrupt) : ProcessSignal.Send(fixProcess, ProcessSignal.Terminate),
                $"fix ({fixProcess}) is gone");
            await Poll.UntilAsync(
                "fix to take the interrupt", TimeSpan.FromMinutes(1),
                () => File.Exists(log) && File.ReadAllText(log).Contains("interrupted: the change under way runs to its end", StringComparison.Ordinal),
                () => File.Exists(log) ? File.ReadAllText(log) : "(no standard error yet)", TimeSpan.FromMilliseconds(20), token);
            wrappers.Resume();
            interrupted = await fix;
        }
        finally
        {
            wrappers.Resume();
            await Task.WhenAny(fix);
        }
        var stderr = await File.ReadAllTextAsync(log, token);
        TestContext.Current.TestOutputHelper?.WriteLine($"fix --apply exited {interrupted.ExitCode}:\n{interrupted.StandardOutput}{stderr}");

        Assert.True(interrupted.ExitCode == 130, interrupted.StandardOutput + stderr);
        Assert.Contains($"  {FixStory.Table(node)}: applied\n", interrupted.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("\nInterrupted: the changes above marked applied were made; nothing was verified. Run `netfilter-exporter check`.\n", interrupted.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("msg=\"node-under-test: deleted ", stderr, StringComparison.Ordinal);
        Assert.False(await node.HasPortmapRulesOfAsync(old.SandboxId, token), $"portmap's rules of {old.SandboxId} are still there");
        Assert.Equal(new HostPortReply(HostPortOutcome.Answered, 200, "ingress/" + FixStory.CurrentPod), await node.GetHostPortAsync(80, ProbeTimeout, token));
    }

    /// <summary>The process group of a process, from /proc/PID/stat (the field after the parent's id; the name before may hold blanks).</summary>
    private static int GroupOf(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture);
    }
}

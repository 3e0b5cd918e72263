using NetfilterExporter.DumpSources;
using NetfilterExporter.Repair;

namespace NetfilterExporter.Tests.Repair;

/// <summary>
/// The nf_conntrack repair with a stand-in modprobe (a script that records its arguments) and a node root in a temporary
/// directory: what runs, what is written where, and that nothing else is touched.
/// </summary>
public sealed class ConntrackRepairTests : IDisposable
{
    private readonly TemporaryDirectory node = new("nfx-conntrack-repair-");

    [Fact]
    public async Task Loading_now_runs_modprobe_nf_conntrack_and_lists_the_module_for_boot_below_the_node_root()
    {
        var logger = new RecordingLogger();

        var result = await Applier("echo \"$@\" > \"$(dirname \"$0\")/modprobe.args\"", logger)
            .ApplyAsync(new ConntrackRepair(true, ConntrackRepair.BootFilePath), "test-node");

        Assert.Equal((RepairStatus.Applied, null), (result.Status, result.Error));
        Assert.Equal("nf_conntrack\n", File.ReadAllText(node.Combine("bin", "modprobe.args")));
        Assert.Equal("nf_conntrack\n", File.ReadAllText(node.Combine("rootfs", "etc", "modules-load.d", "nf_conntrack.conf")));
        Assert.Equal(["nf_conntrack.conf"], Directory.GetFiles(node.Combine("rootfs", "etc", "modules-load.d")).Select(Path.GetFileName));
        Assert.Equal(
            ["Information: test-node: loaded nf_conntrack (modprobe nf_conntrack)", "Information: test-node: wrote /etc/modules-load.d/nf_conntrack.conf so that nf_conntrack loads at boot"],
            logger.Lines);
    }

    [Fact]
    public async Task A_boot_file_that_appeared_since_the_plan_is_left_as_it_is_and_the_repair_fails()
    {
        var existing = node.Combine("rootfs", "etc", "modules-load.d", "nf_conntrack.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(existing)!);
        File.WriteAllText(existing, "# someone else's\n");

        var result = await Applier("exit 0", new RecordingLogger())
            .ApplyAsync(new ConntrackRepair(false, ConntrackRepair.BootFilePath), "test-node");

        Assert.Equal(RepairStatus.Failed, result.Status);
        Assert.Contains("exists now", result.Error, StringComparison.Ordinal);
        Assert.Equal("# someone else's\n", File.ReadAllText(existing));
    }

    [Fact]
    public async Task A_modprobe_that_fails_fails_the_repair_with_its_error_and_writes_nothing()
    {
        var result = await Applier("echo 'modprobe: FATAL: Module nf_conntrack not found' >&2; exit 1", new RecordingLogger())
            .ApplyAsync(new ConntrackRepair(true, ConntrackRepair.BootFilePath), "test-node");

        Assert.Equal(RepairStatus.Failed, result.Status);
        Assert.Equal("modprobe nf_conntrack: modprobe: FATAL: Module nf_conntrack not found", result.Error);
        Assert.False(Directory.Exists(node.Combine("rootfs", "etc")));
    }

    public void Dispose() => node.Dispose();

    private RepairApplier Applier(string modprobe, RecordingLogger logger)
    {
        var bin = node.Combine("bin");
        Directory.CreateDirectory(bin);
        var path = Path.Combine(bin, "modprobe");
        File.WriteAllText(path, $"#!/bin/sh\n{modprobe}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var tools = RepairTools.In(bin, new LegacyNatTableLookup(node.Path), TimeSpan.FromSeconds(30), node.Combine("rootfs"));
        return new RepairApplier(tools, logger);
    }
}

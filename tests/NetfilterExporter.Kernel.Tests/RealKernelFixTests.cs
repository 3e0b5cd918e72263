using System.Globalization;

namespace NetfilterExporter.Kernel.Tests;

/// <summary>
/// Issue 28 on the real kernel: a node with nothing listing nf_conntrack boots without it, `fix --apply` loads it and
/// writes the modules-load.d file, and the next boot of the same disk loads it before anything asks for it.
/// </summary>
public sealed class RealKernelFixTests(GuestImage image)
{
    [Fact]
    public async Task After_fix_apply_the_next_boot_loads_nf_conntrack()
    {
        var token = TestContext.Current.CancellationToken;
        var nothing = BootConfigurations.Named("nothing-configured");
        var configuration = nothing with
        {
            Name = "nothing-configured-then-fix-apply",
            Files = new Dictionary<string, string>(nothing.Files) { ["/etc/nfx-guest/fix-apply"] = "" },
        };
        using var disk = await GuestBoot.PrepareAsync(image, configuration, token);

        var first = (await GuestBoot.BootAsync(image, disk, configuration, token)).Report;
        var second = (await GuestBoot.BootAsync(image, disk, configuration, token)).Report;

        var context = $"first boot:\n{first}\n\nsecond boot:\n{second}";
        Assert.False(first.LoadedAfterBoot, $"nothing lists nf_conntrack, yet the first boot loaded it; {context}");
        Assert.True(first.FixRan, $"the first boot did not run fix --apply; {context}");
        Assert.True(first.FixExitCode == 0, $"fix --apply exited {first.FixExitCode.ToString(CultureInfo.InvariantCulture)}; {context}");
        Assert.True(first.LoadedAfterFix, $"fix --apply did not load nf_conntrack; {context}");
        Assert.Contains("modprobe nf_conntrack", first.FixOutput, StringComparison.Ordinal);
        Assert.Contains("echo nf_conntrack > /etc/modules-load.d/nf_conntrack.conf", first.FixOutput, StringComparison.Ordinal);
        Assert.Contains("loaded nf_conntrack (modprobe nf_conntrack)", first.FixOutput, StringComparison.Ordinal);

        Assert.False(second.FixRan, $"fix ran again on the second boot; {context}");
        Assert.True(second.LoadedAfterBoot, $"the boot after fix --apply did not load nf_conntrack; {context}");
        Assert.Contains("/etc/modules-load.d/nf_conntrack.conf",
            second.Conntrack.GetProperty("bootLoadSources").EnumerateArray().Select(source => source.GetString()));
        Assert.Contains("nf_conntrack", second.ModulesLoadJournal, StringComparison.Ordinal);
        Assert.True(second.CheckExitCode == 0, $"check after the repaired boot exited {second.CheckExitCode.ToString(CultureInfo.InvariantCulture)}; {context}");
    }
}

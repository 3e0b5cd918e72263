using System.Globalization;
using System.Text.Json;

namespace NetfilterExporter.Kernel.Tests;

/// <summary>
/// Boots Debian's 6.1 kernel with systemd 252 and kmod 30 once per <see cref="BootConfigurations"/> entry and checks,
/// inside the guest, that the shipped exporter's <c>check --output json</c> says what the kernel did. "Loads at the
/// next boot" is compared with whether it loaded at this boot: the configuration and command line are the same.
/// </summary>
public sealed class RealKernelBootTests(GuestImage image)
{
    public static TheoryData<string> Configurations { get; } = new(BootConfigurations.All.Select(configuration => configuration.Name));

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task The_exporter_says_what_the_kernel_did(string name)
    {
        var configuration = BootConfigurations.Named(name);

        var run = await GuestBoot.RunAsync(image, configuration, TestContext.Current.CancellationToken);

        var report = run.Report;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{name}: booted, checked and powered off in {run.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" +
            (image.BuildTime is { } build ? $"; the guest image was built first in {build.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s" : ""));
        var conntrack = report.Conntrack;
        var context = $"configuration {name} (kernel command line: {report.CommandLine})\n{report}";

        // The real boot's behaviour is pinned too: a configuration that did not apply must not pass by agreeing with a wrong prediction.
        Assert.True(report.LoadedAfterBoot == configuration.LoadsAtBoot,
            $"the kernel {(report.LoadedAfterBoot ? "loaded" : "did not load")} nf_conntrack at boot, unlike the real boot this configuration was written from; {context}");
        Assert.True(report.SysctlAfterBoot == report.LoadedAfterBoot, $"nf_conntrack_max presence differs from /proc/modules; {context}");

        AssertSays(conntrack, "moduleLoaded", report.LoadedAfterBoot, context);
        AssertSays(conntrack, "sysctlPresent", report.SysctlAfterBoot, context);
        AssertSays(conntrack, "moduleBuiltIn", false, context);
        AssertSays(conntrack, "bootLoadConfigured", report.LoadedAfterBoot, context);
        Assert.True(report.LoadedAfterCheck == report.LoadedAfterBoot, $"running check changed whether nf_conntrack is loaded; {context}");

        var modprobeLoaded = report.ModprobeSucceeded && report.LoadedAfterModprobe;
        Assert.True(modprobeLoaded == configuration.ManualModprobeWorks,
            $"a manual modprobe {(modprobeLoaded ? "loaded" : "did not load")} nf_conntrack ({report.ModprobeOutput}), unlike the real boot this configuration was written from; {context}");
        AssertSays(conntrack, "manualModprobeWorks", modprobeLoaded, context);

        var defeats = conntrack.GetProperty("blacklist").EnumerateArray()
            .Select(entry => entry.GetProperty("line").ValueKind == JsonValueKind.Number
                ? $"{entry.GetProperty("source").GetString()}:{entry.GetProperty("line").GetInt32().ToString(CultureInfo.InvariantCulture)}"
                : entry.GetProperty("source").GetString())
            .ToList();
        Assert.True(defeats.SequenceEqual(configuration.Defeats),
            $"check reports defeats [{string.Join(", ", defeats)}], expected [{string.Join(", ", configuration.Defeats)}]; {context}");

        // kubelite's wrapper is a boot source exactly when its explicit modprobe loaded the module at this boot.
        var sources = conntrack.GetProperty("bootLoadSources").EnumerateArray().Select(source => source.GetString()).ToList();
        var kubelite = configuration.Links.ContainsKey("/snap/microk8s/current");
        Assert.True(sources.Contains("/snap/microk8s/current/run-kubelite-with-args") == (kubelite && report.LoadedAfterBoot),
            $"check lists boot sources [{string.Join(", ", sources)}]; {context}");
        Assert.True(report.Check.GetProperty("microk8s").ValueKind == (kubelite ? JsonValueKind.Object : JsonValueKind.Null), $"check's microk8s part; {context}");

        AssertFindings(report, modprobeLoaded, context);
    }

    /// <summary>The findings a person acts on: not-loaded only when it is not, and fix, then modprobe by hand, offered exactly when modprobe works.</summary>
    private static void AssertFindings(GuestReport report, bool modprobeLoads, string context)
    {
        var findings = report.Check.GetProperty("findings").EnumerateArray().ToDictionary(finding => finding.GetProperty("id").GetString()!);
        // Every collector reads on this guest (iptables is installed), so the exit code is the findings' alone.
        var expectedExit = findings.Count > 0 ? 1 : 0;
        Assert.True(report.CheckExitCode == expectedExit && report.Check.GetProperty("exitCode").GetInt32() == expectedExit,
            $"check exited {report.CheckExitCode} (JSON exitCode {report.Check.GetProperty("exitCode").GetInt32()}) with {findings.Count} findings; {context}");
        Assert.True(findings.ContainsKey("conntrack-not-loaded") == !report.LoadedAfterBoot, $"conntrack-not-loaded present: {findings.ContainsKey("conntrack-not-loaded")}; {context}");
        Assert.True(findings.ContainsKey("conntrack-blacklisted") == (report.Conntrack.GetProperty("blacklist").GetArrayLength() > 0),
            $"conntrack-blacklisted present: {findings.ContainsKey("conntrack-blacklisted")}; {context}");
        if (findings.TryGetValue("conntrack-not-loaded", out var notLoaded))
        {
            // Where modprobe works, fix (which runs it) comes first and modprobe by hand second; where it fails, fix
            // plans no load, so neither is offered before what refuses the module is removed.
            var commands = notLoaded.GetProperty("fixes").EnumerateArray()
                .Select(fix => fix.GetProperty("commands").EnumerateArray().Select(command => command.GetString()!).ToList()).ToList();
            var offered = string.Join(" | ", commands.Select(fix => string.Join("; ", fix)));
            Assert.True(
                modprobeLoads
                    ? commands.Count >= 2 && commands[0].SequenceEqual(["sudo netfilter-exporter fix", "sudo netfilter-exporter fix --apply", "sudo snap restart microk8s.daemon-kubelite"])
                        && commands[1].FirstOrDefault() == "sudo modprobe nf_conntrack"
                    : commands[0].FirstOrDefault() != "sudo modprobe nf_conntrack" && !commands.SelectMany(fix => fix).Any(command => command.StartsWith("sudo netfilter-exporter fix", StringComparison.Ordinal)),
                $"conntrack-not-loaded offers [{offered}] while a manual modprobe {(modprobeLoads ? "works" : "fails")}; {context}");
            var summary = notLoaded.GetProperty("summary").GetString()!;
            Assert.True(summary.Contains(modprobeLoads ? "loads it now" : "fails now", StringComparison.Ordinal),
                $"conntrack-not-loaded's summary does not say that modprobe {(modprobeLoads ? "works" : "fails")} now: {summary}; {context}");
        }
    }

    private static void AssertSays(JsonElement conntrack, string property, bool kernel, string context)
    {
        var said = conntrack.GetProperty(property).GetBoolean();
        Assert.True(said == kernel, $"check says conntrack.{property} = {said.ToString().ToLowerInvariant()}, the kernel shows {kernel.ToString().ToLowerInvariant()}; {context}");
    }
}

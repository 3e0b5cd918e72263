using System.Diagnostics;

namespace NetfilterExporter.Kernel.Tests;

/// <summary>
/// Boots one configuration of the guest under qemu with TCG (this machine's KVM cannot boot a stock kernel) and
/// returns what the guest reported on its second serial port. The guest powers itself off; a guest that does not
/// within <see cref="Timeout"/> is killed by PID, and its disk copy is deleted either way.
/// </summary>
public static class GuestBoot
{
    /// <summary>A boot takes about 25 s here with nothing else running; CI runs the other suites beside it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public const string ExporterPath = "/opt/netfilter-exporter/netfilter-exporter";

    public static async Task<GuestRun> RunAsync(GuestImage image, BootConfiguration configuration, CancellationToken cancellationToken)
    {
        using var disk = await PrepareAsync(image, configuration, cancellationToken);
        return await BootAsync(image, disk, configuration, cancellationToken);
    }

    /// <summary>A disk copy with the configuration, the probe and the shipped binary written into it, for one boot or several.</summary>
    public static async Task<GuestDisk> PrepareAsync(GuestImage image, BootConfiguration configuration, CancellationToken cancellationToken)
    {
        Prerequisites.RequireCommand("debugfs", "e2fsprogs");
        var files = new Dictionary<string, (string, string)>
        {
            ["/usr/local/sbin/nfx-guest-probe"] = (await GuestFile("nfx-guest-probe.sh", cancellationToken), "100755"),
            ["/etc/systemd/system/nfx-guest-probe.service"] = (await GuestFile("nfx-guest-probe.service", cancellationToken), "100644"),
        };
        foreach (var (path, content) in configuration.Files)
        {
            files[path] = (content, "100644");
        }
        var links = new Dictionary<string, string>(configuration.Links)
        {
            ["/etc/systemd/system/multi-user.target.wants/nfx-guest-probe.service"] = "/etc/systemd/system/nfx-guest-probe.service",
        };
        var binary = ExporterProcess.BinaryPath;
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException($"the published exporter is missing: {binary} (the TestSupport build publishes it)");
        }
        // The binary that ships, where the systemd unit runs it.
        var binaries = new Dictionary<string, (string, string)> { [ExporterPath] = (binary, "100755") };
        return await GuestDisk.CreateAsync(image, files, binaries, links, cancellationToken);
    }

    /// <summary>Boots <paramref name="disk"/> once, as it is now (what an earlier boot wrote stays).</summary>
    public static async Task<GuestRun> BootAsync(GuestImage image, GuestDisk disk, BootConfiguration configuration, CancellationToken cancellationToken)
    {
        var qemu = Prerequisites.RequireCommand("qemu-system-x86_64", "qemu-system-x86");
        var commandLine = $"root=/dev/vda rw console=ttyS0 panic=-1 {configuration.CommandLine}".Trim();
        // Each boot's own console and report: an earlier boot of the same disk wrote its own.
        File.Delete(disk.ConsoleLog);
        File.Delete(disk.ReportLog);
        var watch = Stopwatch.StartNew();
        CommandResult result;
        try
        {
            result = await TestCommand.RunCancellableAsync(
                qemu,
                [
                    "-accel", "tcg,thread=multi", "-cpu", "max", "-smp", "2", "-m", "1024",
                    "-nodefaults", "-nographic", "-no-reboot", "-nic", "none", "-monitor", "none",
                    "-kernel", image.Kernel, "-initrd", image.Initramfs, "-append", commandLine,
                    "-drive", $"file={disk.ImagePath},format=raw,if=virtio,cache=unsafe",
                    "-serial", $"file:{disk.ConsoleLog}", "-serial", $"file:{disk.ReportLog}",
                ],
                cancellationToken,
                timeout: Timeout);
        }
        catch (TimeoutException)
        {
            // TestCommand has killed qemu by its PID already.
            throw new TimeoutException($"{configuration.Name}: the guest did not power off within {Timeout.TotalMinutes} min; console ends with:\n{Tail(disk.ConsoleLog)}");
        }
        var elapsed = watch.Elapsed;
        var console = File.Exists(disk.ConsoleLog) ? await File.ReadAllTextAsync(disk.ConsoleLog, cancellationToken) : "";
        var report = File.Exists(disk.ReportLog) ? await File.ReadAllTextAsync(disk.ReportLog, cancellationToken) : "";
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{configuration.Name}: qemu exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }
        return new GuestRun(GuestReport.Parse(configuration.Name, report, console), elapsed, console);
    }

    private static Task<string> GuestFile(string name, CancellationToken cancellationToken) =>
        File.ReadAllTextAsync(RepositoryPaths.Combine("tests", "NetfilterExporter.Kernel.Tests", "guest", name), cancellationToken);

    private static string Tail(string path)
    {
        if (!File.Exists(path))
        {
            return "(no console output)";
        }
        var lines = File.ReadAllLines(path);
        return string.Join('\n', lines[Math.Max(0, lines.Length - 40)..]);
    }
}

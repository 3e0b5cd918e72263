using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Web;

/// <summary>
/// systemd starts the exporter in / and containers in their WORKDIR. ASP.NET's default builders read
/// appsettings.json there with reload on change, which puts a recursive inotify watch on the working directory:
/// from / that walks the whole file system (in the DaemonSet also the host's, under /host) before serving.
/// </summary>
public sealed class WorkingDirectoryTests
{
    [Fact]
    public async Task The_exporter_neither_watches_nor_reads_its_working_directory()
    {
        using var directory = new TemporaryDirectory("nfx-cwd-");
        for (var i = 0; i < 20; i++)
        {
            Directory.CreateDirectory(directory.Combine($"sub{i}", "deeper"));
        }
        // A setting a default ASP.NET builder would apply over the flags: debug logging.
        File.WriteAllText(directory.Combine("appsettings.json"), """
            { "Logging": { "LogLevel": { "Default": "Trace" } } }
            """);
        await using var exporter = await ExporterProcess.StartAsync(
            [$"--iptables.from-file={RepositoryPaths.Combine("examples", "healthy.legacy-ipv4.txt")}"], workingDirectory: directory.Path);

        await exporter.GetStringAsync("metrics");

        var watchers = Directory.GetFiles($"/proc/{exporter.ProcessId}/fd")
            .Select(descriptor => new FileInfo(descriptor).LinkTarget)
            .Count(target => target == "anon_inode:inotify");
        Assert.True(watchers == 0, $"the exporter holds {watchers} inotify descriptor(s)");
        Assert.DoesNotContain("level=debug", exporter.Log, StringComparison.Ordinal);
    }
}

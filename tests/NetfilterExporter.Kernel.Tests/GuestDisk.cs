using System.Globalization;
using System.Text;

namespace NetfilterExporter.Kernel.Tests;

/// <summary>
/// A throwaway copy of the guest image with one boot's files written into it by debugfs, offline: the files are
/// on disk before the kernel starts, exactly as on a node. The copy is deleted on dispose.
/// </summary>
public sealed class GuestDisk : IDisposable
{
    private readonly TemporaryDirectory directory;

    private GuestDisk(TemporaryDirectory directory) => this.directory = directory;

    public string ImagePath => directory.Combine("root.img");

    /// <summary>Where qemu writes the guest's console (first serial port) and its report (second serial port).</summary>
    public string ConsoleLog => directory.Combine("console.log");

    public string ReportLog => directory.Combine("report.log");

    /// <param name="files">Text files, guest path → content and mode.</param>
    /// <param name="binaries">Host files copied byte for byte, guest path → host path and mode.</param>
    public static async Task<GuestDisk> CreateAsync(
        GuestImage image,
        IReadOnlyDictionary<string, (string Content, string Mode)> files,
        IReadOnlyDictionary<string, (string HostPath, string Mode)> binaries,
        IReadOnlyDictionary<string, string> links,
        CancellationToken cancellationToken)
    {
        var disk = new GuestDisk(new TemporaryDirectory("nfx-guest-"));
        try
        {
            (await TestCommand.RunCancellableAsync("cp", ["--sparse=always", image.RootImage, disk.ImagePath], cancellationToken, timeout: TimeSpan.FromMinutes(2)))
                .EnsureSuccess("copying the guest image");
            await disk.WriteAsync(files, binaries, links, cancellationToken);
            return disk;
        }
        catch
        {
            disk.Dispose();
            throw;
        }
    }

    public void Dispose() => directory.Dispose();

    private async Task WriteAsync(
        IReadOnlyDictionary<string, (string Content, string Mode)> files,
        IReadOnlyDictionary<string, (string HostPath, string Mode)> binaries,
        IReadOnlyDictionary<string, string> links,
        CancellationToken cancellationToken)
    {
        var sources = new Dictionary<string, (string HostPath, string Mode)>(binaries);
        var index = 0;
        foreach (var (path, (content, mode)) in files)
        {
            var source = directory.Combine($"file{index++.ToString(CultureInfo.InvariantCulture)}");
            await File.WriteAllTextAsync(source, content, cancellationToken);
            sources[path] = (source, mode);
        }
        var commands = new StringBuilder();
        foreach (var (path, (source, mode)) in sources)
        {
            AppendParents(commands, path);
            // rm first: write refuses to replace a file (the image has /etc/modules, for one).
            commands.Append($"rm {path}\nwrite {source} {path}\nsif {path} mode 0{mode}\n");
        }
        foreach (var (path, target) in links)
        {
            AppendParents(commands, path);
            commands.Append($"rm {path}\nsymlink {path} {target}\n");
        }
        var script = directory.Combine("debugfs.commands");
        await File.WriteAllTextAsync(script, commands.ToString(), cancellationToken);
        // debugfs goes on after a failed command (rm of a file that is not there, mkdir of one that is), so every
        // file and link is read back below instead of trusting its exit code.
        (await TestCommand.RunCancellableAsync("debugfs", ["-w", "-f", script, ImagePath], cancellationToken)).EnsureSuccess("debugfs writing the boot's files");
        foreach (var (path, (content, _)) in files)
        {
            var written = await TestCommand.RunCancellableAsync("debugfs", ["-R", $"cat {path}", ImagePath], cancellationToken);
            if (written.StandardOutput != content)
            {
                throw new InvalidOperationException($"debugfs did not write {path} into {ImagePath}: {written.StandardError.Trim()}");
            }
        }
        foreach (var (path, (hostPath, _)) in binaries)
        {
            var size = new FileInfo(hostPath).Length;
            var stat = await TestCommand.RunCancellableAsync("debugfs", ["-R", $"stat {path}", ImagePath], cancellationToken);
            if (!stat.StandardOutput.Contains($"Size: {size.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"debugfs did not write {hostPath} ({size} bytes) to {path} in {ImagePath}: {stat.StandardOutput.Trim()}");
            }
        }
        foreach (var (path, target) in links)
        {
            var stat = await TestCommand.RunCancellableAsync("debugfs", ["-R", $"stat {path}", ImagePath], cancellationToken);
            if (!stat.StandardOutput.Contains("Type: symlink", StringComparison.Ordinal) || !stat.StandardOutput.Contains($"\"{target}\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"debugfs did not link {path} -> {target} in {ImagePath}: {stat.StandardOutput.Trim()} {stat.StandardError.Trim()}");
            }
        }
    }

    private static void AppendParents(StringBuilder commands, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var depth = 1; depth < parts.Length; depth++)
        {
            commands.Append("mkdir /").Append(string.Join('/', parts[..depth])).Append('\n');
        }
    }
}

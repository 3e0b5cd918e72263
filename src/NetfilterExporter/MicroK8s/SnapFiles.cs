using System.Text;
using NetfilterExporter.Host;

namespace NetfilterExporter.MicroK8s;

/// <summary>
/// Reads MicroK8s' files under --path.rootfs as the node sees them (links followed inside rootfs), refusing what a
/// script or a snap.yaml never is: a file over 1 MiB, or one with NUL bytes. Every error names the file.
/// </summary>
internal sealed class SnapFiles(RootFileSystem root)
{
    private const int MaxBytes = 1 << 20;

    public ResolvedPath Resolve(string nodePath) => root.Resolve(nodePath);

    /// <exception cref="IOException">Missing, unreadable, too large or not text; the message names the file.</exception>
    public async Task<string> ReadAsync(string nodePath, CancellationToken cancellationToken)
    {
        var file = root.Resolve(nodePath);
        if (Directory.Exists(file.HostPath))
        {
            throw new IOException($"{file.Describe()}: a directory, expected a file");
        }
        if (!File.Exists(file.HostPath))
        {
            throw new FileNotFoundException($"{file.Describe()}: not found in the MicroK8s snap");
        }
        var length = new FileInfo(file.HostPath).Length;
        if (length > MaxBytes)
        {
            throw new IOException($"{file.Describe()}: {length} bytes, more than a MicroK8s file ever holds (1 MiB)");
        }
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(file.HostPath, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Permission denied as an unprivileged exporter, or a socket or device in a file's place: named by its node path.
            throw new IOException($"cannot read {file.Describe()}: {exception.Message}", exception);
        }
        if (bytes.Length > MaxBytes || bytes.AsSpan().Contains((byte)0))
        {
            throw new IOException($"{file.Describe()}: not a text file (it holds NUL bytes or grew past 1 MiB)");
        }
        return Encoding.UTF8.GetString(bytes);
    }

    public async Task<IReadOnlyList<string>> ReadLinesAsync(string nodePath, CancellationToken cancellationToken) =>
        HostFile.Lines(await ReadAsync(nodePath, cancellationToken));

    /// <summary>The files of a directory matching a suffix, as node paths, sorted; none when the directory is absent.</summary>
    public IReadOnlyList<string> List(string directoryNodePath, string suffix)
    {
        var directory = root.Resolve(directoryNodePath);
        return Directory.Exists(directory.HostPath)
            ? Directory.EnumerateFiles(directory.HostPath).Select(Path.GetFileName).OfType<string>()
                .Where(name => name.EndsWith(suffix, StringComparison.Ordinal) && !name.StartsWith('.'))
                .Order(StringComparer.Ordinal).Select(name => $"{directoryNodePath}/{name}").ToList()
            : [];
    }
}

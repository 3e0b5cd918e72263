using System.Runtime.Versioning;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// A copy of the shipped exporter (the Native AOT publish, <see cref="ExporterProcess.PublishedDirectory"/>) in a temporary directory with world-readable files and traversable
/// directories, standing in for /opt/netfilter-exporter of the systemd install. An unprivileged user must be
/// able to reach it, and the checkout may sit where it cannot (a home directory with mode 0700, a build output
/// written under umask 077), so the test never runs the unprivileged exporter from the build output itself.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class InstalledExporterCopy : IDisposable
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode ExecutableMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly TemporaryDirectory directory = new("nfx-deploy-");

    public InstalledExporterCopy()
    {
        RequireTraversableByEveryone(Path.GetDirectoryName(directory.Path)!);
        var source = ExporterProcess.PublishedDirectory;
        File.SetUnixFileMode(directory.Path, DirectoryMode);
        foreach (var subdirectory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            var copy = directory.Combine(Path.GetRelativePath(source, subdirectory));
            Directory.CreateDirectory(copy);
            File.SetUnixFileMode(copy, DirectoryMode);
        }
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = directory.Combine(Path.GetRelativePath(source, file));
            File.Copy(file, copy);
            // The exporter's executable stays executable, for everyone, as under umask 022.
            File.SetUnixFileMode(copy, (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0 ? ExecutableMode : FileMode);
        }
    }

    public string InstallPath => directory.Path;

    public void Dispose() => directory.Dispose();

    private static void RequireTraversableByEveryone(string path)
    {
        for (var directory = new DirectoryInfo(path); directory is not null; directory = directory.Parent)
        {
            if ((directory.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                throw new InvalidOperationException(
                    $"{directory.FullName} is not traversable by other users (mode {directory.UnixFileMode}), so an unprivileged exporter cannot start from {path}; point TMPDIR elsewhere");
            }
        }
    }
}

using NetfilterExporter.Conntrack;
using NetfilterExporter.Host;

namespace NetfilterExporter.Unit.Tests.Conntrack;

/// <summary>
/// A node tree built in a temp directory, for cases that cannot be checked in (symlink loops, sockets) or that
/// need a root flag pointing somewhere odd. Starts with the landmarks every real mount has.
/// </summary>
internal sealed class TemporaryHostTree : IDisposable
{
    private readonly TemporaryDirectory directory = new("conntrack-probe-");

    public TemporaryHostTree()
    {
        WriteFile("proc/sys/kernel/osrelease", "6.8.0-45-generic\n");
        Directory.CreateDirectory(Path.Join(Root, "sys", "module"));
        Directory.CreateDirectory(Path.Join(Root, "rootfs", "etc"));
    }

    public string Root => directory.Path;

    public HostPaths Paths => new(Path.Join(Root, "proc"), Path.Join(Root, "sys"), Path.Join(Root, "rootfs"));

    public string WriteFile(string relativePath, string content)
    {
        var path = PrepareParent(relativePath);
        File.WriteAllText(path, content);
        return path;
    }

    public string CreateSymbolicLink(string relativePath, string target)
    {
        var path = PrepareParent(relativePath);
        File.CreateSymbolicLink(path, target);
        return path;
    }

    public Task<ConntrackReport> ProbeAsync() => new ConntrackProbe(Paths).ProbeAsync(CancellationToken.None);

    public void Dispose() => directory.Dispose();

    private string PrepareParent(string relativePath)
    {
        var path = Path.Join(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}

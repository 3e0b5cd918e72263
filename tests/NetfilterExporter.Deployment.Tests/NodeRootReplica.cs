namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The node's / for a DaemonSet replay in which the test puts files where the node's own software would (a
/// runtime's CRI socket) without touching the machine. It is a temporary directory that mirrors the machine's /:
/// each directory and file in it is an empty stand-in that <see cref="NodeMounts"/> binds the machine's one onto
/// (in the replay's mount namespace only), and each symbolic link is copied as it is, so --path.rootfs reads the
/// machine's /etc and /usr/lib/modules, and an absolute link such as /var/run -> /run resolves as it does for a
/// pod. The directories <see cref="Create"/> names are real directories of the test instead, their other entries
/// mirrored the same way, level by level. /run starts empty and is, as on every systemd node, a file system of its
/// own (mounted onto itself), so the kubelet's recursive bind has a submount to carry.
/// </summary>
public sealed class NodeRootReplica : IDisposable
{
    private const string SeparateFileSystem = "/run";

    private readonly TemporaryDirectory root = new("nfx-noderoot-");

    // Stand-in in the replica -> the machine's directory or file bound onto it.
    private readonly SortedDictionary<string, string> binds = new(StringComparer.Ordinal);

    public NodeRootReplica()
    {
        Mirror("/", root.Path);
        var run = HostPathOf(SeparateFileSystem);
        if (!binds.Remove(run) && System.IO.Path.Exists(run))
        {
            File.Delete(run);
        }
        Directory.CreateDirectory(run);
    }

    public string Path => root.Path;

    /// <summary>
    /// Shell commands that make the node's mounts in the replay's mount namespace, before any pod's: the machine's
    /// trees onto their stand-ins, then /run onto itself.
    /// </summary>
    public IReadOnlyList<string> NodeMounts =>
    [
        .. binds.Select(bind => $"mount --rbind {ShellWord.Quote(bind.Value)} {ShellWord.Quote(bind.Key)}"),
        $"mount --bind {ShellWord.Quote(HostPathOf(SeparateFileSystem))} {ShellWord.Quote(HostPathOf(SeparateFileSystem))}",
    ];

    /// <summary>Where a node path is in the replica: /run/containerd -> DIR/run/containerd.</summary>
    public string HostPathOf(string nodePath) => System.IO.Path.Join(root.Path, nodePath);

    /// <summary>Makes the node directory <paramref name="nodeDirectory"/> and every parent real directories of the replica; returns where it is.</summary>
    public string Create(string nodeDirectory)
    {
        var node = "/";
        foreach (var component in nodeDirectory.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = System.IO.Path.Join(node, component);
            var here = HostPathOf(node);
            if (binds.Remove(here, out var machineDirectory))
            {
                // No longer the machine's whole tree: its entries one by one, beside what the test adds.
                Mirror(machineDirectory, here);
            }
            else if (new FileInfo(here).LinkTarget is not null)
            {
                throw new InvalidOperationException($"{node} is a symbolic link on this machine; create its target instead");
            }
            Directory.CreateDirectory(here);
        }
        return HostPathOf(nodeDirectory);
    }

    public void Dispose() => root.Dispose();

    private void Mirror(string machineDirectory, string into)
    {
        foreach (var entry in new DirectoryInfo(machineDirectory).EnumerateFileSystemInfos())
        {
            var standIn = System.IO.Path.Join(into, entry.Name);
            if (entry.LinkTarget is { } target)
            {
                File.CreateSymbolicLink(standIn, target);
                continue;
            }
            if (entry is DirectoryInfo)
            {
                Directory.CreateDirectory(standIn);
            }
            else
            {
                File.WriteAllBytes(standIn, []);
            }
            binds[standIn] = entry.FullName;
        }
    }
}

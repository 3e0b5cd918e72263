namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The container's view of its hostPath volumes rebuilt on this machine without a container runtime, with the
/// mounts the kubelet and runc make: in a mount namespace of the exporter's own (unshare), each volume's host path
/// is bound recursively onto DIR/mountPath (DIR a temporary directory), remounted read-only when readOnly (runc
/// does that for the top mount only; submounts keep their flags), with the mountPropagation asked for
/// (HostToContainer is rslave). A flag value under a mountPath gets DIR in front. The exporter then reads the same
/// host files through the same layout the DaemonSet gives it; creating /host itself would change the machine.
/// The node is the machine, or a <see cref="NodeRootReplica"/> whose directory stands in for the node's /.
/// </summary>
public sealed class HostPathMountView : IDisposable
{
    private readonly TemporaryDirectory root = new("nfx-deploy-");
    private readonly List<string> mountPaths = [];
    private readonly List<string> script = ["set -eu"];

    public HostPathMountView(ManifestNode podSpec, ManifestNode container, NodeRootReplica? node = null)
    {
        script.AddRange(node?.NodeMounts ?? []);
        foreach (var volume in podSpec.Get("volumes").Items)
        {
            var hostPath = volume.TryGet("hostPath")?.Text("path");
            if (hostPath is null)
            {
                continue;
            }
            var mount = container.Get("volumeMounts").Single("name", volume.Text("name"));
            var mountPath = mount.Text("mountPath");
            if (mountPath == hostPath)
            {
                // Already where the container sees it (/run/xtables.lock).
                continue;
            }
            var source = node?.HostPathOf(hostPath) ?? hostPath;
            var target = root.Combine(mountPath.TrimStart('/'));
            if (Directory.Exists(source))
            {
                Directory.CreateDirectory(target);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, []);
            }
            script.Add($"mount --rbind {ShellWord.Quote(source)} {ShellWord.Quote(target)}");
            if (mount.OptionalText("readOnly") == "true")
            {
                script.Add($"mount -o remount,bind,ro {ShellWord.Quote(target)}");
            }
            var propagation = mount.OptionalText("mountPropagation") switch
            {
                null or "None" => "--make-rprivate",
                "HostToContainer" => "--make-rslave",
                "Bidirectional" => "--make-rshared",
                var other => throw new ManifestException($"{mount.Location}: mountPropagation {other} is not one Kubernetes knows"),
            };
            script.Add($"mount {propagation} {ShellWord.Quote(target)}");
            mountPaths.Add(mountPath);
        }
    }

    /// <summary>"--path.procfs=/host/proc" becomes "--path.procfs=DIR/host/proc"; other arguments stay as they are.</summary>
    public string Map(string argument)
    {
        var equals = argument.IndexOf('=');
        var value = equals < 0 ? argument : argument[(equals + 1)..];
        var underMount = mountPaths.Any(mountPath => value == mountPath || value.StartsWith(mountPath + "/", StringComparison.Ordinal));
        return underMount ? argument[..(equals + 1)] + root.Path + value : argument;
    }

    /// <summary>
    /// <paramref name="command"/> started in a new mount namespace holding the volume mounts. For each of
    /// <paramref name="reportWritable"/> (paths as the container sees them) the log first gets a line
    /// "mount view: PATH is read-only" or "mount view: PATH is writable".
    /// </summary>
    public IReadOnlyList<string> Around(IEnumerable<string> command, params string[] reportWritable)
    {
        var lines = new List<string>(script);
        foreach (var path in reportWritable)
        {
            var probe = ShellWord.Quote(Map("=" + path)[1..] + "/.nfx-write-probe");
            lines.Add($"if (: > {probe}) 2>/dev/null; then rm {probe}; echo {ShellWord.Quote($"mount view: {path} is writable")}; " +
                       $"else echo {ShellWord.Quote($"mount view: {path} is read-only")}; fi");
        }
        lines.Add("exec \"$@\"");
        // The kubelet's mounts are made before the container's process drops its privileges: as root, then exec.
        return ["unshare", "--mount", "--propagation", "slave", "sh", "-c", string.Join('\n', lines), "hostpath-mounts", .. command];
    }

    public void Dispose() => root.Dispose();
}

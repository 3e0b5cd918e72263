namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The container's view of its hostPath volumes rebuilt on this machine without a container runtime: in a
/// temporary directory each mountPath is a symlink to the volume's host path (DIR/host/proc -> /proc), and a
/// flag value under a mountPath gets DIR in front. The exporter then reads the same host files through the
/// same relative layout the DaemonSet gives it; creating /host itself would change the machine.
/// </summary>
public sealed class HostPathMountView : IDisposable
{
    private readonly TemporaryDirectory _root = new("nfx-deploy-");
    private readonly List<string> _mountPaths = [];

    public HostPathMountView(ManifestNode podSpec, ManifestNode container)
    {
        foreach (var volume in podSpec.Get("volumes").Items)
        {
            var hostPath = volume.TryGet("hostPath")?.Text("path");
            if (hostPath is null)
            {
                continue;
            }
            var mountPath = container.Get("volumeMounts").Single("name", volume.Text("name")).Text("mountPath");
            if (mountPath == hostPath)
            {
                // Already where the container sees it (/run/xtables.lock).
                continue;
            }
            var link = _root.Combine(mountPath.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, hostPath);
            _mountPaths.Add(mountPath);
        }
    }

    /// <summary>"--path.procfs=/host/proc" becomes "--path.procfs=DIR/host/proc"; other arguments stay as they are.</summary>
    public string Map(string argument)
    {
        var equals = argument.IndexOf('=');
        var value = equals < 0 ? argument : argument[(equals + 1)..];
        var underMount = _mountPaths.Any(mountPath => value == mountPath || value.StartsWith(mountPath + "/", StringComparison.Ordinal));
        return underMount ? argument[..(equals + 1)] + _root.Path + value : argument;
    }

    public void Dispose() => _root.Dispose();
}

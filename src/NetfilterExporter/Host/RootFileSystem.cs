namespace NetfilterExporter.Host;

/// <summary>
/// Follows node paths inside --path.rootfs the way a chroot would. The exporter usually runs in a container
/// with the node's / mounted at e.g. /host, where a link such as modules.conf -> /etc/modules would otherwise
/// name the container's own /etc/modules. So links are followed one path component at a time against rootfs.
/// </summary>
internal sealed class RootFileSystem(string hostRoot)
{
    // Linux gives up after 40 links (MAXSYMLINKS); a loop must become an error, not a hang.
    private const int MaximumLinksFollowed = 40;

    public ResolvedPath Resolve(string nodePath)
    {
        var resolved = new List<string>();
        var pending = new Stack<string>(Components(nodePath).Reverse());
        var linksFollowed = 0;
        while (pending.TryPop(out var component))
        {
            if (component == "..")
            {
                // As in a chroot, ".." at the root stays at the root.
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }
                continue;
            }
            resolved.Add(component);
            var linkTarget = ReadLink(nodePath, HostPathOf(resolved));
            if (linkTarget is null)
            {
                continue;
            }
            if (++linksFollowed > MaximumLinksFollowed)
            {
                throw new HostFileException(
                    $"{nodePath} under --path.rootfs {hostRoot}: more than {MaximumLinksFollowed} symbolic links to follow, a symlink loop");
            }
            resolved.RemoveAt(resolved.Count - 1);
            if (linkTarget.StartsWith('/'))
            {
                resolved.Clear();
            }
            foreach (var targetComponent in Components(linkTarget).Reverse())
            {
                pending.Push(targetComponent);
            }
        }
        return new ResolvedPath("/" + string.Join('/', resolved), HostPathOf(resolved));
    }

    private static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(component => component != ".");

    private string HostPathOf(List<string> components) => Path.Join(hostRoot, string.Join('/', components));

    /// <summary>The target of a symlink, or null for anything else, including a path that does not exist.</summary>
    private string? ReadLink(string nodePath, string hostPath)
    {
        try
        {
            return new FileInfo(hostPath).LinkTarget;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new HostFileException($"cannot inspect {hostPath} while resolving {nodePath}: {exception.Message}", exception);
        }
    }
}
